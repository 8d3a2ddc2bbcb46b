using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ProcessMaster.Testing;
using static ProcessMaster.Testing.HostFiles;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>
/// The state file is not proof (audit N-26): a restored main pid is kept only while it is in the service's cgroup,
/// and a state directory or file someone else could write is refused.
/// </summary>
public sealed class StateTrustTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task ForgedMainPidOfAnAppAtRest_ForgottenAtBoot_NeverShownNorSignalled()
    {
        _daemon.WriteService("rest", $$"""
            process:
              working_directory: {{_daemon.WorkDir("rest")}}
              start_command: ["/bin/sh", "-c", "exec sleep 100000"]
            global:
              enabled: false
            """);
        await _daemon.StartAsync();
        Assert.Equal(0, await _daemon.StopAsync());

        using Process canary = Process.Start("/bin/sleep", "100000");
        JsonNode state = JsonNode.Parse(await File.ReadAllTextAsync(_daemon.StatePath, TestContext.Current.CancellationToken))!;
        state["services"]!["rest"]!["main_pid"] = canary.Id;
        await File.WriteAllTextAsync(_daemon.StatePath, state.ToJsonString(), TestContext.Current.CancellationToken);

        int mark = _daemon.Log.Length;
        await _daemon.StartAsync();
        await _daemon.WaitForLogAsync($"app=rest saved main pid {canary.Id} is not in {_daemon.AppCgroup("rest")}; forgotten", TimeSpan.FromSeconds(10), mark);
        CommandResult status = await _daemon.PmctlAsync("status", "rest", "--format", "json");
        Assert.Contains("\"main_pid\": null", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await _daemon.PmctlAsync("stop", "rest")).ExitCode);
        Assert.False(canary.HasExited, "the canary process was signalled");
        canary.Kill();
    }

    [Fact]
    public async Task StateDirectoryWritableByOthers_CheckAndDaemonRefuse_WithTheFix()
    {
        string state = Path.GetDirectoryName(_daemon.StatePath)!;
        Directory.CreateDirectory(state);
        Chmod(state, "0777");

        CommandResult check = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", _daemon.ConfigPath]);
        CommandResult daemon = await CommandRun.RunAsync(Repository.Daemon, ["-c", _daemon.ConfigPath]);

        string expected = $"global.state_file: the state directory {state} is owned by uid 0 (root) with mode 0777; it must be owned by root (uid 0, gid 0) and not writable by group or others";
        Assert.True(check.ExitCode == 1 && check.Stderr.Contains(expected, StringComparison.Ordinal), check.ToString());
        Assert.True(daemon.ExitCode == 1 && daemon.Stderr.Contains(expected, StringComparison.Ordinal), daemon.ToString());
        Assert.Contains($"chown root {state} && chmod go-w {state}", daemon.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_daemon.MasterCgroup), "a refused daemon created its cgroup");
    }

    [Fact]
    public async Task StateFileOwnedBySomeoneElse_NotRestored_SaidSo()
    {
        _daemon.WriteService("svc", $$"""
            process:
              working_directory: {{_daemon.WorkDir("svc")}}
              start_command: ["/bin/sh", "-c", "exec sleep 100000"]
            """);
        await _daemon.StartAsync();
        Assert.Equal(0, (await _daemon.PmctlAsync("flag", "svc", "remembered")).ExitCode);
        Assert.Equal(0, await _daemon.StopAsync());
        Chown(_daemon.StatePath, Nobody, Nobody);

        int mark = _daemon.Log.Length;
        await _daemon.StartAsync();

        Assert.Contains($"{_daemon.StatePath}: not restored: owned by uid {Nobody.ToString(CultureInfo.InvariantCulture)} with mode 0600, while only the daemon (uid 0) may write it", _daemon.Log[mark..], StringComparison.Ordinal);
        ServiceStatus svc = await ServiceStatus.ReadAsync(_daemon, "svc");
        Assert.Empty(JsonNode.Parse(svc.Json)!["user_flags"]!.AsArray());
    }
}
