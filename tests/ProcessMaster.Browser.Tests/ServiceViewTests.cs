using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ProcessMaster.Browser.Tests;

/// <summary>Per-service views: logs (with live follow), flags with a TTL, resources, the events view.</summary>
public sealed class ServiceViewTests
{
    [Fact]
    public async Task Logs_FollowShowsALineWrittenAfterOpening()
    {
        string fifo = "";
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => fifo = Services.Echoer(d));
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Logs of echoer", Exact = true }).ClickAsync();
            ILocator dialog = b.Page.GetByRole(AriaRole.Dialog, new() { Name = "Logs of echoer" });
            ILocator text = dialog.GetByRole(AriaRole.Log, new() { Name = "Log text" });
            await Expect(text).ToContainTextAsync("started");
            await Expect(dialog.GetByLabel("File")).ToContainTextAsync("stdout.log");
            await dialog.GetByLabel("Follow", new() { Exact = true }).CheckAsync();
            // Write only once the daemon follows (its backlog arrived): the line must come as a live line.
            await Expect(dialog.GetByRole(AriaRole.Status, new() { Name = "Follow state" })).ToHaveTextAsync("following");

            const string Line = "written after following began";
            await File.WriteAllTextAsync(fifo, Line + "\n");
            await Expect(text).ToContainTextAsync(Line);

            await dialog.GetByLabel("Search").FillAsync("after following");
            await Expect(dialog.GetByText("1 match", new() { Exact = true })).ToBeVisibleAsync();
            await Expect(text.Locator("mark")).ToHaveTextAsync("after following");
            await b.ScreenshotAsync("logs");

            IDownload download = await b.Page.RunAndWaitForDownloadAsync(() => dialog.GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync());
            string saved = Path.Combine(Path.GetTempPath(), $"pm-download-{Guid.NewGuid():N}.log");
            await download.SaveAsAsync(saved);
            string content = await File.ReadAllTextAsync(saved);
            File.Delete(saved);
            Assert.Contains(Line, content, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Flag_WithTtl_IsShownThenExpires()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => Services.Sleeper(d));
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Flags of sleeper", Exact = true }).ClickAsync();
            ILocator dialog = b.Page.GetByRole(AriaRole.Dialog, new() { Name = "Flags of sleeper" });
            await dialog.GetByLabel("Flags", new() { Exact = true }).FillAsync("maint");
            await dialog.GetByLabel("Expires after").FillAsync("4s");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add flags" }).ClickAsync();
            await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Remove flag maint" })).ToBeVisibleAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

            ILocator flags = b.Row("sleeper").GetByRole(AriaRole.List, new() { Name = "Flags of sleeper" });
            await Expect(flags.GetByText("maint", new() { Exact = true })).ToBeVisibleAsync();
            // The daemon removes it when its TTL is due and the page is told; nothing reloads it.
            await b.Daemon.WaitForLogAsync("app=sleeper user flag maint expired", TimeSpan.FromSeconds(60));
            await Expect(flags.GetByText("maint", new() { Exact = true })).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Flag_WithABadName_IsRefusedInTheDialog()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => Services.Sleeper(d));
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Flags of sleeper", Exact = true }).ClickAsync();
            ILocator dialog = b.Page.GetByRole(AriaRole.Dialog, new() { Name = "Flags of sleeper" });
            await dialog.GetByLabel("Flags", new() { Exact = true }).FillAsync("bad flag!");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add flags" }).ClickAsync();
            await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("\"bad flag!\" is not a flag");
            await dialog.GetByLabel("Flags", new() { Exact = true }).FillAsync("ok");
            await dialog.GetByLabel("Expires after").FillAsync("5 minutes");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add flags" }).ClickAsync();
            await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("is not a duration");
            Assert.DoesNotContain("user flags", (await b.Daemon.PmctlAsync("status", "sleeper")).Stdout, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Resources_ShowLiveSamples()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => Services.Busy(d));
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await Expect(b.Row("busy").GetByText("RUNNING", new() { Exact = true })).ToBeVisibleAsync();
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Resources of busy", Exact = true }).ClickAsync();
            ILocator dialog = b.Page.GetByRole(AriaRole.Dialog, new() { Name = "Resources of busy" });
            ILocator facts = dialog.GetByRole(AriaRole.Definition);
            await Expect(dialog.GetByText(b.Daemon.AppCgroup("busy"), new() { Exact = true })).ToBeVisibleAsync();
            // Two samples make a cpu figure; a few more draw the sparkline (samples are pushed, nothing reloads).
            await Expect(dialog.GetByRole(AriaRole.Img, new() { Name = "CPU history" }).Locator("polyline"))
                .ToHaveAttributeAsync("points", new Regex(@"^(\S+ ){4,}\S+$"));
            await Expect(dialog.GetByText("OOM kills")).ToBeVisibleAsync();
            // This host's cgroup2 has no cpu controller: the throttling row says so (the VM lane sees real figures).
            await Expect(dialog.GetByText("CPU throttling")).ToBeVisibleAsync();
            await Expect(dialog.GetByText("not exposed (cpu controller off)")).ToBeVisibleAsync();
            Assert.True(await facts.CountAsync() >= 8);
            await b.ScreenshotAsync("resources");
        });
    }

    [Fact]
    public async Task Events_AreLiveAndFiltered()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => { Services.Sleeper(d); Services.Sleeper(d, "other"); });
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await b.Page.GetByRole(AriaRole.Tab, new() { Name = "Events" }).ClickAsync();
            ILocator events = b.Page.GetByRole(AriaRole.Table, new() { Name = "Events" });
            await Expect(events.GetByRole(AriaRole.Row).Filter(new() { HasText = "other" }).First).ToBeVisibleAsync();
            await b.Page.GetByLabel("Filter events").FillAsync("sleeper");
            await Expect(events.GetByRole(AriaRole.Row).Filter(new() { HasText = "other" })).ToHaveCountAsync(0);

            await b.Daemon.PmctlAsync("flag", "sleeper", "seen-live");
            await Expect(events.GetByRole(AriaRole.Row).Filter(new() { HasText = "seen-live" }).First).ToBeVisibleAsync();
        });
    }
}
