using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using ProcessMaster.Testing;

namespace ProcessMaster.Browser.Tests;

/// <summary>
/// One browser test's world: a real daemon with the console on 127.0.0.1 (a free port), Debian's chromium driven
/// headless by Playwright (no browser download: <see cref="Chromium"/>), a context logged in as the test user, and a
/// Playwright trace kept under <c>out/traces/</c> when the test fails.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    /// <summary>The system browser the tests drive (build/test.sh installs it with apt).</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>How long an expectation waits: CI is a loaded 2-core machine.</summary>
    public const float Patience = 30_000;

    private bool _failed;
    private string _name = "test";

    private ConsoleBrowser(DaemonInstance daemon, Uri address, IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        Daemon = daemon;
        Address = address;
        Playwright = playwright;
        Browser = browser;
        Context = context;
        Page = page;
    }

    public DaemonInstance Daemon { get; }

    /// <summary>The console's base address, <c>http://127.0.0.1:PORT/processmaster/</c>.</summary>
    public Uri Address { get; }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Where screenshots go (documented in README "Web console").</summary>
    public static string ScreenshotDirectory => Repository.PathOf("out/screenshots");

    /// <summary>
    /// Starts the daemon (<paramref name="services"/> writes its definitions), waits for the console, opens chromium and
    /// loads the status page logged in.
    /// </summary>
    public static async Task<ConsoleBrowser> StartAsync(Action<DaemonInstance> services, string extraConfig = "", ViewportSize? viewport = null)
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: install it (apt-get install chromium); build/test.sh does");
        DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml() + extraConfig);
        try
        {
            services(daemon);
            await daemon.StartAsync();
            Uri address = await ConsoleSetup.AddressAsync(daemon);
            IPlaywright playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            });
            IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                HttpCredentials = new HttpCredentials { Username = ConsoleSetup.User, Password = ConsoleSetup.Password },
                ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 900 },
                ColorScheme = ColorScheme.Light,
                AcceptDownloads = true,
            });
            context.SetDefaultTimeout(Patience);
            await context.Tracing.StartAsync(new TracingStartOptions { Screenshots = true, Snapshots = true, Sources = false });
            IPage page = await context.NewPageAsync();
            Assertions.SetDefaultExpectTimeout(Patience);
            return new ConsoleBrowser(daemon, address, playwright, browser, context, page);
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens the status page and waits until the live stream delivered the first status.</summary>
    public async Task OpenStatusAsync()
    {
        IResponse? response = await Page.GotoAsync(new Uri(Address, "status").ToString());
        Assert.Equal(200, response?.Status);
        await Assertions.Expect(Page.GetByRole(AriaRole.Status, new() { Name = "Live updates" })).ToHaveTextAsync("live");
    }

    /// <summary>The row of one service in a table (<c>Services</c> or <c>Cron jobs</c>).</summary>
    public ILocator Row(string name, string table = "Services") =>
        Page.GetByRole(AriaRole.Table, new() { Name = table, Exact = true })
            .GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Rowheader, new() { Name = name, Exact = true }) });

    /// <summary>Clicks a row button, then the confirmation dialog's button <paramref name="confirm"/>.</summary>
    public async Task ConfirmAsync(string button, string confirm)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        ILocator dialog = Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = confirm, Exact = true }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
    }

    /// <summary>Saves a screenshot as <c>out/screenshots/NAME.png</c>.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png") });
    }

    /// <summary>Runs a test body; a failure keeps the trace (<c>out/traces/TEST.zip</c>) and the daemon log in the message.</summary>
    public async Task RunAsync(Func<Task> body, [CallerMemberName] string name = "")
    {
        _name = name;
        try
        {
            await body();
        }
        catch (Exception e)
        {
            _failed = true;
            throw new Xunit.Sdk.XunitException($"{e.Message}\ntrace: {TracePath}\n--- daemon log ---\n{Daemon.Log}", e);
        }
    }

    private string TracePath => Repository.PathOf(Path.Combine("out", "traces", _name + ".zip"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_failed)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(TracePath)!);
                await Context.Tracing.StopAsync(new TracingStopOptions { Path = TracePath });
            }
            else
            {
                await Context.Tracing.StopAsync();
            }
        }
        finally
        {
            await Context.CloseAsync();
            await Browser.CloseAsync();
            Playwright.Dispose();
            await Daemon.DisposeAsync();
        }
    }
}
