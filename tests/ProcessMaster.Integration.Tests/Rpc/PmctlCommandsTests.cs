using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>Every pmctl subcommand against a real daemon, in its text and (where it has one) JSON form.</summary>
public sealed class PmctlCommandsTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create("""
        admin_actions:
          hello:
            label: "Say hello"
            command: ["/bin/sh", "-c", "echo hello from $PROCESSMASTER_ADMIN_ACTION; sleep 30"]
        """);

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("web", $$"""
            process:
              working_directory: {{_daemon.WorkDir("web")}}
              start_command: ["/bin/sh", "-c", "echo web up; exec sleep 100000"]
            """);
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "web RUNNING");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task Status_TextAndJson_DescribeTheService()
    {
        CommandResult text = await Ok("status");
        Assert.Contains("web", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("RUNNING", text.Stdout, StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse((await Ok("status", "--format", "json")).Stdout);
        JsonElement web = json.RootElement.GetProperty("statuses").EnumerateArray().Single();
        foreach (string field in new[] { "application", "enabled", "running", "actual", "phase", "restarts_10m", "system_flags", "user_flags", "pids",
                     "pid_uptimes_ms", "working_directory", "provisioning_defined", "provisioning_marker", "provisioning_marker_exists", "source_file",
                     "last_run_at_ms", "last_exit_code", "schedule" })
            Assert.True(web.TryGetProperty(field, out _), $"status JSON lacks {field}: {web}");
        Assert.Equal("web", web.GetProperty("application").GetString());
        Assert.True(web.GetProperty("running").GetBoolean());
    }

    [Fact]
    public async Task Status_Resources_ReadOnlyWhenAsked_PidsAlways()
    {
        using JsonDocument plain = JsonDocument.Parse((await Ok("status", "web", "--format", "json")).Stdout);
        JsonElement web = plain.RootElement.GetProperty("statuses")[0];
        Assert.NotEmpty(web.GetProperty("pids").EnumerateArray());
        Assert.Equal(web.GetProperty("pids").GetArrayLength(), web.GetProperty("pid_uptimes_ms").GetArrayLength());
        Assert.All(web.GetProperty("pid_uptimes_ms").EnumerateArray(), u => Assert.True(u.GetInt64() >= 0, $"uptime {u}"));
        foreach (string counter in new[] { "oom_kills", "nr_throttled", "throttled_usec", "cpu_pressure_avg10", "memory_pressure_avg10", "io_pressure_avg10" })
            Assert.Equal(JsonValueKind.Null, web.GetProperty(counter).ValueKind);

        using JsonDocument asked = JsonDocument.Parse((await Ok("status", "web", "--resources", "--format", "json")).Stdout);
        JsonElement counted = asked.RootElement.GetProperty("statuses")[0];
        Assert.Equal(File.Exists(Path.Combine(_daemon.AppCgroup("web"), "memory.events")), counted.GetProperty("oom_kills").ValueKind == JsonValueKind.Number);
        Assert.Equal(0, (await Ok("status", "-r")).ExitCode);
    }

    [Fact]
    public async Task Status_UnknownService_ExitsOneNamingIt()
    {
        CommandResult result = await _daemon.PmctlAsync("status", "nope");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("nope", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_TextAndJson_ShowTheStart()
    {
        Assert.Contains("STARTING -> RUNNING", (await Ok("events", "web")).Stdout, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse((await Ok("events", "-n", "500", "--format", "json")).Stdout);
        Assert.Contains(json.RootElement.GetProperty("events").EnumerateArray(),
            e => e.GetProperty("message").GetString()!.Contains("STARTING -> RUNNING", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopStartRestart_Text_ReportEachService()
    {
        Assert.Contains("web", (await Ok("stop", "web")).Stdout, StringComparison.Ordinal);
        Assert.Equal("STOPPED", (await ServiceStatus.ReadAsync(_daemon, "web")).Phase);
        Assert.Contains("web", (await Ok("start", "web")).Stdout, StringComparison.Ordinal);
        ServiceStatus started = await ServiceStatus.ReadAsync(_daemon, "web");
        Assert.Equal("RUNNING", started.Phase);
        Assert.Contains("web", (await Ok("restart", "all")).Stdout, StringComparison.Ordinal);
        ServiceStatus restarted = await ServiceStatus.ReadAsync(_daemon, "web");
        Assert.Equal("RUNNING", restarted.Phase);
        Assert.NotEqual(started.Pids, restarted.Pids);
    }

    [Fact]
    public async Task Update_NewDefinition_StartsIt()
    {
        _daemon.WriteService("api", $$"""
            process:
              working_directory: {{_daemon.WorkDir("api")}}
              start_command: ["/bin/sleep", "100000"]
            """);
        CommandResult update = await Ok("update");
        Assert.Contains("api", update.Stdout, StringComparison.Ordinal);
        await ServiceStatus.WaitAsync(_daemon, "api", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "api RUNNING");
    }

    [Fact]
    public async Task Update_BrokenDefinition_PrintsEachProblem_ExitsOne_AndJournalsIt()
    {
        _daemon.WriteService("broken", "process:\n  comand: [\"/bin/true\"]\n");
        CommandResult update = await _daemon.PmctlAsync("update");
        Assert.True(update.ExitCode == 1, update.ToString());
        Assert.StartsWith("updated: ", update.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"^Error: update: \d+ problems?; what did not load keeps its last good definition; fix and run `pmctl update` again:\n  ", update.Stderr);
        Assert.Contains("broken.yaml", update.Stderr, StringComparison.Ordinal);
        Assert.Contains("comand", update.Stderr, StringComparison.Ordinal);
        string events = (await Ok("events", "-n", "50")).Stdout;
        Assert.Matches(@"\[config\] update: .*broken\.yaml.*comand", events);
        Assert.Equal("RUNNING", (await ServiceStatus.ReadAsync(_daemon, "web")).Phase);
    }

    [Fact]
    public async Task StartStopRestart_ReplyTextsAsDocumented()
    {
        Assert.Equal("web: stopped (STOPPED)\n", (await Ok("stop", "web")).Stdout);
        Assert.Equal("web: started (RUNNING)\n", (await Ok("start", "web")).Stdout);
        Assert.Equal("web: restarted (RUNNING)\n", (await Ok("restart", "web")).Stdout);
    }

    [Fact]
    public async Task DisableEnable_RewriteTheDefinitionAndStopStart()
    {
        await Ok("disable", "web");
        Assert.Contains("enabled: false", await File.ReadAllTextAsync(Path.Combine(_daemon.ConfigDirectory, "web.yaml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "STOPPED" && !s.Running, TimeSpan.FromSeconds(30), "web STOPPED");
        await Ok("enable", "web");
        await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "web RUNNING");
    }

    [Fact]
    public async Task FlagUnflag_SetAndClearUserFlags()
    {
        Assert.Contains("canary", (await Ok("flag", "web", "Maint, canary", "--ttl", "1h")).Stdout, StringComparison.Ordinal);
        using (JsonDocument json = JsonDocument.Parse((await Ok("status", "web", "--format", "json")).Stdout))
            Assert.Equal(["canary", "maint"], json.RootElement.GetProperty("statuses")[0].GetProperty("user_flags").EnumerateArray().Select(f => f.GetString()!).Order());
        await Ok("unflag", "web", "maint");
        using (JsonDocument json = JsonDocument.Parse((await Ok("status", "web", "--format", "json")).Stdout))
            Assert.Equal(["canary"], json.RootElement.GetProperty("statuses")[0].GetProperty("user_flags").EnumerateArray().Select(f => f.GetString()!));
        CommandResult bad = await _daemon.PmctlAsync("flag", "web", "x", "--ttl", "1m3h");
        Assert.True(bad.ExitCode == 1, bad.ToString());
        Assert.Contains("larger to smaller", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminActions_ListRunPsKill()
    {
        Assert.Contains("hello", (await Ok("admin-list")).Stdout, StringComparison.Ordinal);
        CommandResult run = await Ok("admin-run", "hello");
        Assert.Contains("pid", run.Stdout, StringComparison.Ordinal);
        string adminCgroup = Path.Combine(_daemon.MasterCgroup, "admin_actions");
        await DaemonInstance.WaitUntilAsync(() => CgroupSandbox.Procs(adminCgroup + "/run").Count > 0, TimeSpan.FromSeconds(30), "the admin action in its cgroup");
        Assert.Contains(CgroupSandbox.Procs(adminCgroup + "/run")[0].ToString(System.Globalization.CultureInfo.InvariantCulture), (await Ok("admin-ps")).Stdout, StringComparison.Ordinal);
        string stdout = Path.Combine(_daemon.Root, "logs", "admin_action_stdout.log");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(stdout) && File.ReadAllText(stdout).Contains("hello from hello", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the admin action's output in ./logs");
        await Ok("admin-kill");
        await DaemonInstance.WaitUntilAsync(() => CgroupSandbox.Procs(adminCgroup + "/run").Count == 0, TimeSpan.FromSeconds(30), "no admin action left");
        CommandResult unknown = await _daemon.PmctlAsync("admin-run", "HELLO");
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
    }

    [Fact]
    public async Task ServerVersion_MatchesPmctlVersion()
    {
        CommandResult server = await Ok("server-version");
        CommandResult local = await CommandRun.RunAsync(Repository.Pmctl, ["version"]);
        Assert.Equal(local.Stdout.Trim(), server.Stdout.Trim());
    }

    [Fact]
    public async Task PerfMetrics_TextAndJson_ReadTheCgroup()
    {
        Assert.Contains("web", (await Ok("perf-metrics", "web", "--once")).Stdout, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse((await Ok("perf-metrics", "web", "--once", "--format", "json")).Stdout);
        Assert.Equal("web", json.RootElement.GetProperty("app").GetString());
        Assert.True(json.RootElement.GetProperty("cpu_stat").GetProperty("usage_usec").GetInt64() >= 0);
    }

    [Fact]
    public async Task Password_GenerateThenVerify()
    {
        CommandResult generated = await CommandRun.RunAsync(Repository.Pmctl, ["password", "generate", "--user", "bob", "--password", "s3cret", "--cost", "4"]);
        Assert.True(generated.ExitCode == 0, generated.ToString());
        string entry = generated.Stdout.Trim();
        Assert.StartsWith("bob:$2", entry, StringComparison.Ordinal);
        Assert.Equal(0, (await CommandRun.RunAsync(Repository.Pmctl, ["password", "verify", "--secure", entry, "--user", "bob", "--password", "s3cret"])).ExitCode);
        Assert.Equal(1, (await CommandRun.RunAsync(Repository.Pmctl, ["password", "verify", "--secure", entry, "--user", "bob", "--password", "wrong"])).ExitCode);
    }

    [Fact]
    public async Task Shutdown_KeepsServicesRunning_StopServicesStopsThem()
    {
        IReadOnlyList<int> pids = (await ServiceStatus.ReadAsync(_daemon, "web")).Pids;
        await Ok("shutdown");
        await DaemonInstance.WaitUntilAsync(() => _daemon.Pid is null, TimeSpan.FromSeconds(30), "the daemon to exit");
        Assert.All(pids, pid => Assert.True(Directory.Exists($"/proc/{pid}"), $"pid {pid} died with the daemon"));

        await _daemon.StartAsync();
        await Ok("shutdown", "--stop-services");
        await DaemonInstance.WaitUntilAsync(() => !CgroupSandbox.IsPopulated(_daemon.AppCgroup("web")), TimeSpan.FromSeconds(30), "web stopped");
    }

    private async Task<CommandResult> Ok(params string[] arguments)
    {
        CommandResult result = await _daemon.PmctlAsync(arguments);
        Assert.True(result.ExitCode == 0, $"pmctl {string.Join(' ', arguments)}: {result}\n--- daemon log ---\n{_daemon.Log}");
        return result;
    }
}
