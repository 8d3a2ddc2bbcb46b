using System.Runtime.Versioning;
using System.Text.Json;
using ProcessMaster.Cli.Commands;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Rpc.Tests.Support;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Cli;

[SupportedOSPlatform("linux")]
public class PmctlCommandTests
{
    private const string ExpectedTable =
        "+-------------+---------+---------+-------------+------+--------+----------------+------------+---------+-------------------------+--------------+\n" +
        "| application | actual  | status  | crashes_10m | pid  | uptime | sys_flags      | user_flags | enabled | last_run                | src          |\n" +
        "+-------------+---------+---------+-------------+------+--------+----------------+------------+---------+-------------------------+--------------+\n" +
        "| nightly     | STOPPED | STOPPED | 0           | -    | -      | exit_ok,dummy1 | -          | enabled | 2025-01-02_04:00:00.012 | nightly.yaml |\n" +
        "+-------------+---------+---------+-------------+------+--------+----------------+------------+---------+-------------------------+--------------+\n" +
        "| web         | RUNNING | RUNNING | 0           | 4242 | 1h02m  | user_start     | maint      | enabled | 2025-01-02_03:02:25.678 | web.yaml     |\n" +
        "|             |         |         |             | 4250 | 1h01m  |                |            |         |                         |              |\n" +
        "+-------------+---------+---------+-------------+------+--------+----------------+------------+---------+-------------------------+--------------+\n" +
        "\n";

    [Fact]
    public async Task Status_Text_IsTheOriginalTable()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync("status");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(ExpectedTable, run.Stdout);
    }

    [Fact]
    public async Task NoCommand_IsStatus()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync();
        Assert.Equal(ExpectedTable, run.Stdout);
    }

    [Fact]
    public async Task Status_Json_IsTheDaemonResultPretty()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync("status", "web", "--format", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("{\n  \"statuses\": [\n    {\n      \"application\": \"web\",", run.Stdout, StringComparison.Ordinal);
        JsonElement entry = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("statuses")[0];
        Assert.Equal(3_721_000, entry.GetProperty("pid_uptimes_ms")[0].GetInt64());
        Assert.Equal("RUNNING", entry.GetProperty("phase").GetString());
        Assert.Equal(0, entry.GetProperty("restarts_10m").GetInt32());
    }

    [Fact]
    public async Task Status_AsksForResourcesOnlyWithTheFlag()
    {
        await using var h = new PmctlHarness();
        Assert.Equal(0, (await h.RunAsync("status")).ExitCode);
        Assert.Equal(0, (await h.RunAsync("status", "web", "-r")).ExitCode);
        Assert.Equal(0, (await h.RunAsync("status", "--resources", "--format", "json")).ExitCode);
        Assert.Equal(["status ", "status web resources", "status  resources"], h.Supervisor.Calls.Where(c => c.StartsWith("status", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SockAfterSubcommand_IsAccepted()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await PmctlHarness.RunWithAsync(["status", "-s", h.SocketPath]);
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [InlineData("status", "--format", "yaml")]
    [InlineData("status", "--format", "JSON")]
    [InlineData("unflag", "web", "x", "--ttl", "1h")]
    [InlineData("frobnicate")]
    [InlineData("start")]
    [InlineData("password", "generate", "--user", "bob")]
    [InlineData("logs", "--file", "x.log", "web")]
    public async Task UsageError_Exit2(params string[] args)
    {
        CommandResult run = await PmctlHarness.RunWithAsync(args);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Try 'pmctl --help'.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSocket_Exit1WithHelp()
    {
        Assert.False(File.Exists(SocketLocator.DefaultPath), "precondition: no daemon socket at the default path on this machine");
        CommandResult run = await PmctlHarness.RunWithAsync(["status"], new Dictionary<string, string> { ["PMCTL_SOCK"] = "  " });
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Error: " + SocketLocator.NoSocketHelp + "\n", run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task SocketNobodyListens_Exit1ConnectError()
    {
        using var dir = new TempDirectory();
        CommandResult run = await PmctlHarness.RunWithAsync(["--sock", dir.File("none.sock"), "status"]);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"Error: failed to connect to processmaster socket {dir.File("none.sock")}: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Socket_FromEnvironment()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await PmctlHarness.RunWithAsync(["server-version"], new Dictionary<string, string> { ["PMCTL_SOCK"] = h.SocketPath });
        Assert.Equal(BuildInfo.Banner + "\n", run.Stdout);
    }

    [Fact]
    public async Task Socket_FromConfig_RelativeToConfigDirectory()
    {
        await using var h = new PmctlHarness();
        string config = Path.Combine(h.Directory, "config.yaml");
        await File.WriteAllTextAsync(config, "cgroup:\n  root: /sys/fs/cgroup\nunix_socket:\n  path: pm.sock\n  mode: \"0600\"\n", TestContext.Current.CancellationToken);
        CommandResult run = await PmctlHarness.RunWithAsync(["-c", config, "events"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("2025-01-02_03:04:05.678 [cmd] app=web attempt=set_desired desired=RUNNING force=false\n2025-01-02_03:04:06.000 [boot] started\n", run.Stdout);
    }

    [Fact]
    public void Socket_FromConfigWithoutKey_IsTheDefault()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.yaml"), "global:\n  group: pm\n");
        Assert.Equal(SocketLocator.DefaultPath, SocketLocator.FromConfig(dir.File("c.yaml")));
    }

    [Fact]
    public async Task Logs_WithoutName_Exit1OriginalMessage()
    {
        CommandResult run = await PmctlHarness.RunWithAsync(["logs"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Error: pmctl logs requires an app name, or use `pmctl logs -f [filename]`\n", run.Stderr);
    }

    [Fact]
    public async Task Logs_PrintsTails()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync("logs", "web", "-n", "2");
        Assert.Equal("==> /srv/web/stdout.log <==\none\ttab \\x1b[1mbold\ntwo\n", run.Stdout);
        Assert.Contains("logs web 2", h.Supervisor.Calls);
    }

    [Fact]
    public async Task LogsFollow_PrintsBacklogThenLiveLinesUntilEnd()
    {
        await using var h = new PmctlHarness();
        await h.Supervisor.LiveLines.Writer.WriteAsync(new() { Path = "/srv/web/stdout.log", Line = "fresh" }, TestContext.Current.CancellationToken);
        h.Supervisor.LiveLines.Writer.Complete();
        CommandResult run = await h.RunAsync("logs", "-f", "web");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("==> /srv/web/stdout.log <==\nold\n\n/srv/web/stdout.log: fresh\n", run.Stdout);
        Assert.Contains("following ended", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsFollow_NoMatchingFile_OriginalLine()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync("logs", "-f", "--file", "none.log");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("no log files found matching filename none.log\n", run.Stdout);
    }

    [Fact]
    public async Task Flag_SplitsTrimsLowercases_DaemonDedupes()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync("flag", "web", "A, b ,A", "--ttl", "1h");
        Assert.Equal("web: flags=a,b\n", run.Stdout);
        Assert.Contains("flag web [a,b] ttl=1h", h.Supervisor.Calls);
        Assert.Equal(["a", "b", "a"], FlagList.Parse("A, b ,A"));
    }

    [Fact]
    public async Task Flag_OnlyCommas_Exit1NoFlags()
    {
        CommandResult run = await PmctlHarness.RunWithAsync(["flag", "web", " , ,"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Error: no flags provided\n", run.Stderr);
    }

    [Fact]
    public async Task DaemonError_Exit1MessageOnStderr()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync("status", "nope");
        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("Error: unknown service: nope", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_PrintsMessageAndRestarted()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync("update");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("updated: 0 added, 2 modified (nightly,web), 0 removed, 0 kept as last good, 0 problems\nrestarted: web,nightly\n", run.Stdout);
        Assert.Empty(run.Stderr);
    }

    [Fact]
    public async Task Update_WithProblems_PrintsEachOnStderr_Exit1()
    {
        await using var h = new PmctlHarness();
        h.Supervisor.UpdateProblems = ["/etc/pm/conf.d/web.yaml:3:5: unknown key \"comand\"; did you mean \"command\"?", "/etc/pm/conf.d/api.yaml: \u001b[31mboom"];
        CommandResult run = await h.RunAsync("update");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("updated: ", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("Error: update: 2 problems; what did not load keeps its last good definition; fix and run `pmctl update` again:\n" +
                     "  /etc/pm/conf.d/web.yaml:3:5: unknown key \"comand\"; did you mean \"command\"?\n" +
                     "  /etc/pm/conf.d/api.yaml: \\x1b[31mboom\n", run.Stderr);
    }

    [Fact]
    public async Task Actions_PrintDaemonLines()
    {
        await using var h = new PmctlHarness();
        Assert.Equal("nightly: started (RUNNING)\nweb: started (RUNNING)\n", (await h.RunAsync("start", "all", "--force")).Stdout);
        Assert.Contains("start all force=True", h.Supervisor.Calls);
        Assert.Equal("web: stopped (STOPPED)\n", (await h.RunAsync("stop", "web")).Stdout);
        Assert.Equal("web: restarted (RUNNING)\n", (await h.RunAsync("restart", "web")).Stdout);
        Assert.Equal("disabled web\n", (await h.RunAsync("disable", "web")).Stdout);
        Assert.Equal("enabled web\n", (await h.RunAsync("enable", "web")).Stdout);
        Assert.Equal("web: flags=\n", (await h.RunAsync("unflag", "web", "maint")).Stdout);
        Assert.Equal("shutting down; services keep running\n", (await h.RunAsync("shutdown")).Stdout);
        Assert.Contains("shutdown True", (await h.RunAsync("shutdown", "--stop-services")).Stdout.Length > 0 ? h.Supervisor.Calls : []);
    }

    [Fact]
    public async Task Admin_Commands()
    {
        await using var h = new PmctlHarness();
        Assert.Equal("Update ProcessMaster (update-pm)\n", (await h.RunAsync("admin-list")).Stdout);
        Assert.Equal("admin_action update-pm spawned pid=12345\n", (await h.RunAsync("admin-run", "update-pm")).Stdout);
        Assert.Equal("(none)\n", (await h.RunAsync("admin-ps")).Stdout);
        Assert.Equal("killed admin actions via cgroup.kill (pids_before=0)\n", (await h.RunAsync("admin-kill")).Stdout);
        CommandResult refused = await h.RunAsync("admin-run", "Update-PM");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is not configured in the main config (admin_actions)", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PerfMetrics_Once()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync("perf-metrics", "web", "--once");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("memory: current=12.3MiB peak=19.1MiB max=unlimited util=- psi.avg10=-", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("cpu:    cpu.max=50ms/100ms (~500m)  psi.avg10=1.50", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("oom:    oom_kills=3\n", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("cpu.util: (pass --interval-ms N to compute; default is 1000ms, or use --once to disable)\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_NeedsNoDaemon()
    {
        CommandResult run = await PmctlHarness.RunWithAsync(["version"]);
        Assert.Equal(BuildInfo.Banner + "\n", run.Stdout);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Completion_PrintsScriptUsingSuggestDirective()
    {
        CommandResult run = await PmctlHarness.RunWithAsync(["completion", "bash"]);
        Assert.Contains("[suggest:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("complete -o default -F _pmctl_complete pmctl", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_HasExamples()
    {
        CommandResult run = await PmctlHarness.RunWithAsync(["flag", "--help"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_HostileText_IsEscaped_RowsStayAligned()
    {
        await using var h = new PmctlHarness();
        h.Supervisor.WebUserFlags = ["ok\u001b[31mRED", "a\nb"];
        CommandResult run = await h.RunAsync("status");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain('\u001b', run.Stdout);
        Assert.Contains("| ok\\x1b[31mRED,a\\nb |", run.Stdout, StringComparison.Ordinal);
        string[] lines = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.Equal(lines[0].Length, line.Length));
    }

    [Fact]
    public async Task Events_HostileText_IsEscaped_OneLinePerEvent()
    {
        await using var h = new PmctlHarness();
        h.Supervisor.ExtraEvents.Add(new() { Ts = "2025-01-02_03:04:07.000", Component = "rpc", Message = "client (\u001b]0;pwned\u0007): refused\n2026-12-04 14:30:00.000 [daemon] FORGED", Seq = 3 });
        CommandResult run = await h.RunAsync("events");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("[rpc] client (\\x1b]0;pwned\\x07): refused\\n2026-12-04 14:30:00.000 [daemon] FORGED\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaemonError_ControlCharacters_AreEscaped_LinesKept()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync("start", "hostile");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Error: hostile: \\x1b[2Jspawn failed\\r\nsecond line\n", run.Stderr);
    }

    [Fact]
    public async Task LogsFollow_ArgumentThatIsNoService_FollowsThatFileNameInEveryService()
    {
        await using var h = new PmctlHarness();
        h.Supervisor.LiveLines.Writer.Complete();
        CommandResult run = await h.RunAsync("logs", "-f", "stdout.log", "-n", "5");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("==> /srv/web/stdout.log <==\nold\n\n", run.Stdout);
        Assert.Equal(["follow stdout.log  5", "follow  stdout.log 5"], h.Supervisor.Calls.Where(c => c.StartsWith("follow", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LogsFollow_ServiceName_IsAService()
    {
        await using var h = new PmctlHarness();
        h.Supervisor.LiveLines.Writer.Complete();
        CommandResult run = await h.RunAsync("logs", "-f", "web");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["follow web  50"], h.Supervisor.Calls.Where(c => c.StartsWith("follow", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Logs_ControlCharactersInLines_EscapedUnlessRaw()
    {
        await using var h = new PmctlHarness();
        h.Supervisor.LiveLines.Writer.Complete();
        await h.Supervisor.LiveLines.Reader.Completion;
        CommandResult escaped = await h.RunAsync("logs", "web");
        Assert.Equal("==> /srv/web/stdout.log <==\none\ttab \\x1b[1mbold\ntwo\n", escaped.Stdout);
        CommandResult raw = await h.RunAsync("logs", "web", "--raw");
        Assert.Equal("==> /srv/web/stdout.log <==\none\ttab \u001b[1mbold\ntwo\n", raw.Stdout);
    }
}
