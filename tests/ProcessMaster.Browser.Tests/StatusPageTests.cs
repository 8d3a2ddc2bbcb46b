using Microsoft.Playwright;
using ProcessMaster.Testing;
using static Microsoft.Playwright.Assertions;

namespace ProcessMaster.Browser.Tests;

/// <summary>The status page: logging in, the live table, stopping and starting, dark mode, a phone.</summary>
public sealed class StatusPageTests
{
    [Fact]
    public async Task LogIn_ShowsTheStatusTableAndTheBuild()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => { Services.Sleeper(d); Services.Sleeper(d, "worker"); });
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await Expect(b.Page).ToHaveTitleAsync("processmaster");
            await Expect(b.Row("sleeper").GetByText("RUNNING", new() { Exact = true })).ToBeVisibleAsync();
            await Expect(b.Row("worker").GetByText("RUNNING", new() { Exact = true })).ToBeVisibleAsync();
            await Expect(b.Row("sleeper").GetByRole(AriaRole.Button, new() { Name = "Stop sleeper" })).ToBeVisibleAsync();
            string stamp = (await b.Daemon.PmctlAsync("server-version")).Stdout.Trim();
            await Expect(b.Page.GetByRole(AriaRole.Banner)).ToContainTextAsync("built on");
            Assert.Contains("built on", stamp, StringComparison.Ordinal);
            await b.ScreenshotAsync("status");
        });
    }

    [Fact]
    public async Task StopThenStart_BadgeChangesWithoutReloading()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => Services.Sleeper(d));
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await b.Page.EvaluateAsync("() => { window.__sameDocument = true; }");
            await Expect(b.Row("sleeper").GetByText("RUNNING", new() { Exact = true })).ToBeVisibleAsync();

            await b.ConfirmAsync("Stop sleeper", "Stop");
            await Expect(b.Row("sleeper").GetByText("STOPPED", new() { Exact = true })).ToBeVisibleAsync();
            Assert.Equal(ServiceStatusFromDaemon.Stopped, await ServiceStatusFromDaemon.OfAsync(b.Daemon, "sleeper"));

            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Start sleeper", Exact = true }).ClickAsync();
            await Expect(b.Row("sleeper").GetByText("RUNNING", new() { Exact = true })).ToBeVisibleAsync();
            Assert.True(await b.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
            await Expect(b.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "sleeper:" })).ToContainTextAsync("started");
        });
    }

    [Fact]
    public async Task DarkMode_TogglesAndIsRemembered()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => Services.Sleeper(d));
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            ILocator toggle = b.Page.GetByRole(AriaRole.Button, new() { Name = "Dark mode" });
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
            await Expect(b.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
            await toggle.ClickAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(b.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
            string background = await b.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
            Assert.Equal("rgb(11, 17, 32)", background);
            await b.OpenStatusAsync();
            await Expect(b.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
            await b.ScreenshotAsync("status-dark");
        });
    }

    [Fact]
    public async Task PhoneViewport_TableIsUsable()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => Services.Sleeper(d), viewport: new ViewportSize { Width = 390, Height = 844 });
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await Expect(b.Row("sleeper").GetByText("RUNNING", new() { Exact = true })).ToBeVisibleAsync();
            ILocator stop = b.Page.GetByRole(AriaRole.Button, new() { Name = "Stop sleeper", Exact = true });
            await Expect(stop).ToBeInViewportAsync();
            LocatorBoundingBoxResult? box = await stop.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"the Stop button is outside the 390 px viewport: x={box.X} width={box.Width}");
            Assert.True(box.Height >= 30, $"the Stop button is too small to tap: {box.Height} px");
            int scrollWidth = await b.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 390, $"the page scrolls sideways on a phone: {scrollWidth} px wide");
            await b.ConfirmAsync("Stop sleeper", "Stop");
            await Expect(b.Row("sleeper").GetByText("STOPPED", new() { Exact = true })).ToBeVisibleAsync();
            await b.ScreenshotAsync("status-phone");
        });
    }

    [Fact]
    public async Task WithoutCredentials_TheBrowserGets401AndNoPage()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => Services.Sleeper(d));
        await b.RunAsync(async () =>
        {
            await using IBrowserContext anonymous = await b.Browser.NewContextAsync();
            // A browser without credentials shows its own prompt (headless: cancels it); the answer behind it is:
            IAPIResponse response = await anonymous.APIRequest.GetAsync(new Uri(b.Address, "status").ToString());
            Assert.Equal(401, response.Status);
            Assert.Equal("Basic realm=\"processmaster\", charset=\"UTF-8\"", response.Headers["www-authenticate"]);
            Assert.Equal("missing Authorization header", (await response.TextAsync()).Trim());
            Assert.False(response.Headers.ContainsKey("set-cookie"), "an unauthenticated request got a cookie");
        });
    }
}
