using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ProcessMaster.Browser.Tests;

/// <summary>The admin-actions dialog: run one, see its pid, kill all.</summary>
public sealed class AdminActionTests
{
    [Fact]
    public async Task RunAnAction_ShowsItsPid_ThenKillAllEndsIt()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => Services.Sleeper(d), Services.SlowAction);
        await b.RunAsync(async () =>
        {
            await b.OpenStatusAsync();
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Admin actions" }).ClickAsync();
            ILocator dialog = b.Page.GetByRole(AriaRole.Dialog, new() { Name = "Admin actions" });
            ILocator pids = dialog.GetByLabel("Running admin-action PIDs");
            await Expect(pids).ToHaveTextAsync("(none)");

            await dialog.GetByRole(AriaRole.Button, new() { Name = "Run Slow action" }).ClickAsync();
            ILocator confirm = b.Page.GetByRole(AriaRole.Dialog, new() { Name = "Run Slow action?" });
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
            await Expect(pids).ToHaveTextAsync(new Regex(@"^\d+$"));
            int pid = int.Parse(await pids.TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
            string procs = await File.ReadAllTextAsync(Path.Combine(b.Daemon.MasterCgroup, "admin_actions", "run", "cgroup.procs"));
            Assert.Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), procs.Split('\n'));
            await Expect(b.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "spawned" })).ToContainTextAsync($"pid={pid}");

            await dialog.GetByRole(AriaRole.Button, new() { Name = "Kill all" }).ClickAsync();
            await b.Page.GetByRole(AriaRole.Dialog, new() { Name = "Kill all admin actions?" }).GetByRole(AriaRole.Button, new() { Name = "Kill all" }).ClickAsync();
            await Expect(pids).ToHaveTextAsync("(none)");
            Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal),
                $"admin action pid {pid} still runs after Kill all");
        });
    }
}
