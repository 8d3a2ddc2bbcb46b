using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ProcessMaster.Browser.Tests;

/// <summary>The cron jobs table with its run history, and the banner when the daemon's build is not the page's.</summary>
public sealed class CronAndBuildTests
{
    [Fact]
    public async Task CronJob_ShowsScheduleNextRunAndItsRuns()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => d.WriteService("tick", $"""
            process:
              working_directory: {d.WorkDir("tick")}
              start_command: ["/bin/true"]
              schedule: "*/2 * * * * *"
            """));
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await b.Page.GetByRole(AriaRole.Tab, new() { Name = "Cron jobs" }).ClickAsync();
            ILocator row = b.Row("tick", "Cron jobs");
            await Expect(row.GetByText("*/2 * * * * *", new() { Exact = true })).ToBeVisibleAsync();
            // Cells after the name: schedule, state, pids, last run, exit, next run, ...
            await Expect(row.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("0");
            await Expect(row.GetByRole(AriaRole.Cell).Nth(5)).ToHaveTextAsync(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"));
            await Expect(b.Row("tick")).ToHaveCountAsync(0);
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Runs of tick" }).ClickAsync();
            ILocator history = b.Page.GetByRole(AriaRole.Dialog, new() { Name = "Runs of tick" }).GetByRole(AriaRole.Table, new() { Name = "Run history" });
            await Expect(history.GetByRole(AriaRole.Row).Filter(new() { HasText = "Success" }).First).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task APageFromAnotherBuild_ShowsTheUpgradeBanner()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => Services.Sleeper(d));
        await b.RunAsync(async () =>
        {
            // The page as an older daemon served it: same page, another build stamp.
            await b.Page.RouteAsync("**/processmaster/status", async route =>
            {
                IAPIResponse original = await route.FetchAsync();
                string html = Regex.Replace(await original.TextAsync(), "name=\"build-time\" content=\"[^\"]*\"", "name=\"build-time\" content=\"2000-01-01 00:00:00.000\"");
                await route.FulfillAsync(new() { Response = original, Body = html });
            });
            await b.OpenStatusAsync();
            ILocator banner = b.Page.GetByRole(AriaRole.Alert);
            await Expect(banner).ToContainTextAsync("The daemon was upgraded");
            await Expect(banner).ToContainTextAsync("2000-01-01 00:00:00.000");
            await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Reload page" })).ToBeVisibleAsync();
        });
    }
}
