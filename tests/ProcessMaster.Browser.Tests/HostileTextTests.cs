using Microsoft.Playwright;
using ProcessMaster.Testing;
using static Microsoft.Playwright.Assertions;

namespace ProcessMaster.Browser.Tests;

/// <summary>Text a service or a flag carries is shown as text: no markup from data, no script runs (audit #18, S25, S26).</summary>
public sealed class HostileTextTests
{
    private const string Markup = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task FlagsAndLogLines_WithMarkup_AreShownLiterally_AndNoScriptRuns()
    {
        await using ConsoleBrowser b = await ConsoleBrowser.StartAsync(d => d.WriteService("noisy", $$"""
            process:
              working_directory: {{d.WorkDir("noisy")}}
              start_command: ["/bin/sh", "-c", "printf '%s\\n' '<script>alert(2)</script>' '{{Markup}}' 'x\" onmouseover=\"alert(3)'; exec sleep 100000"]
            """));
        await b.RunAsync(async () =>
        {
            var dialogs = new List<string>();
            b.Page.Dialog += (_, dialog) => { dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };
            CommandResult flag = await b.Daemon.PmctlAsync("flag", "noisy", "\"><img src=x onerror=alert(4)>");
            await b.OpenStatusAsync();
            if (flag.ExitCode == 0)
            {
                ILocator flags = b.Row("noisy").GetByRole(AriaRole.List, new() { Name = "Flags of noisy" });
                await Expect(flags).ToContainTextAsync("\"><img src=x onerror=alert(4)>");
                Assert.Equal(0, await flags.Locator("img").CountAsync());
            }
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Logs of noisy", Exact = true }).ClickAsync();
            ILocator text = b.Page.GetByRole(AriaRole.Dialog, new() { Name = "Logs of noisy" }).GetByRole(AriaRole.Log, new() { Name = "Log text" });
            await Expect(text).ToContainTextAsync("<script>alert(2)</script>");
            await Expect(text).ToContainTextAsync(Markup);
            Assert.Equal(0, await text.Locator("img, script").CountAsync());
            await b.Page.Keyboard.PressAsync("Escape");
            await b.Row("noisy").HoverAsync();
            Assert.Empty(dialogs);
            Assert.Equal(0, await b.Page.Locator("body img[src='x']").CountAsync());
        });
    }
}
