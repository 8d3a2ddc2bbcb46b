using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Reliability;

/// <summary>
/// An answered command holds (docs/reliability.md): the daemon answers a command that changes its saved state only
/// once the change is on disk, so a SIGKILL the moment pmctl returns loses nothing. Each command kind, then SIGKILL
/// at once, then a new daemon on the same state directory, which must show the change. And a state directory that
/// cannot be written makes the command an error, never a silent success.
/// </summary>
public sealed class AnsweredCommandTests : IAsyncDisposable
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task EveryKindOfCommand_SigkillAsSoonAsPmctlReturns_TheChangeSurvivesTheRestart()
    {
        WriteService("alpha", "v1");
        WriteService("beta", "v1");
        await _daemon.StartAsync();
        await WaitRunningAsync("alpha");
        await WaitRunningAsync("beta");

        await RunThenKillAsync("flag", "alpha", "maint,canary", "--ttl", "1h");
        Assert.Equal(["canary", "maint"], UserFlags(await ServiceStatus.ReadAsync(_daemon, "alpha")));

        await RunThenKillAsync("unflag", "alpha", "maint");
        Assert.Equal(["canary"], UserFlags(await ServiceStatus.ReadAsync(_daemon, "alpha")));

        await RunThenKillAsync("stop", "alpha");
        ServiceStatus stopped = await ServiceStatus.ReadAsync(_daemon, "alpha");
        Assert.False(stopped.Running, $"alpha was stopped by an answered command, yet runs after the restart: {stopped.Json}");
        Assert.Empty(stopped.Pids);

        await RunThenKillAsync("start", "alpha");
        await WaitRunningAsync("alpha");

        int before = (await WaitRunningAsync("beta")).Pids[0];
        await RunThenKillAsync("restart", "beta");
        ServiceStatus restarted = await WaitRunningAsync("beta");
        Assert.NotEqual(before, restarted.Pids[0]);
        Assert.Equal(0, restarted.Restarts10m);

        await RunThenKillAsync("disable", "beta");
        Assert.Contains("enabled: false", await File.ReadAllTextAsync(Path.Combine(_daemon.ConfigDirectory, "beta.yaml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(Enabled(await ServiceStatus.ReadAsync(_daemon, "beta")));

        await RunThenKillAsync("enable", "beta");
        Assert.True(Enabled(await ServiceStatus.ReadAsync(_daemon, "beta")));

        WriteService("alpha", "v2");
        await RunThenKillAsync("update");
        ServiceStatus updated = await WaitRunningAsync("alpha");
        Assert.Contains("v2", await File.ReadAllTextAsync($"/proc/{updated.Pids[0]}/cmdline", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(["canary"], UserFlags(updated));
    }

    [Fact]
    public async Task StateDirectoryReadOnly_TheCommandIsAnError_TheChangeNamedAsUnsaved_ARepeatAfterTheFixSaves()
    {
        WriteService("alpha", "v1");
        await _daemon.StartAsync();
        await WaitRunningAsync("alpha");
        string state = Path.GetDirectoryName(_daemon.StatePath)!;
        // A read-only bind of the state directory over itself: the daemon's next write there fails with EROFS.
        await MountAsync("--bind", state, state);
        try
        {
            await MountAsync("-o", "remount,bind,ro", state);
            CommandResult refused = await _daemon.PmctlAsync("flag", "alpha", "maint");

            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("NOT saved", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains(_daemon.StatePath, refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("EROFS", refused.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await CommandRun.RunAsync("/bin/umount", [state]);
        }

        CommandResult repeated = await _daemon.PmctlAsync("flag", "alpha", "maint");
        Assert.True(repeated.ExitCode == 0, repeated.ToString());
        await _daemon.StopAsync(PosixSignalName.Kill);
        await _daemon.StartAsync();
        Assert.Equal(["maint"], UserFlags(await ServiceStatus.ReadAsync(_daemon, "alpha")));
    }

    /// <summary>Runs one pmctl command (it must succeed), SIGKILLs the daemon as soon as it returns, starts a new one.</summary>
    private async Task RunThenKillAsync(params string[] command)
    {
        CommandResult result = await _daemon.PmctlAsync(command);
        await _daemon.StopAsync(PosixSignalName.Kill);
        Assert.True(result.ExitCode == 0, $"pmctl {string.Join(' ', command)}: {result}");
        await _daemon.StartAsync();
    }

    private Task<ServiceStatus> WaitRunningAsync(string app) =>
        ServiceStatus.WaitAsync(_daemon, app, s => s.Running && s.Pids.Count > 0, TimeSpan.FromSeconds(60), $"{app} running");

    private void WriteService(string app, string version) => _daemon.WriteService(app, $$"""
        process:
          working_directory: {{_daemon.WorkDir(app)}}
          start_command: ["/bin/sh", "-c", "sleep 600; : {{version}}"]
        """);

    private static string[] UserFlags(ServiceStatus status)
    {
        using JsonDocument doc = JsonDocument.Parse(status.Json);
        return [.. doc.RootElement.GetProperty("user_flags").EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal)];
    }

    private static bool Enabled(ServiceStatus status)
    {
        using JsonDocument doc = JsonDocument.Parse(status.Json);
        return doc.RootElement.GetProperty("enabled").GetBoolean();
    }

    private static async Task MountAsync(params string[] arguments)
    {
        CommandResult mount = await CommandRun.RunAsync("/bin/mount", arguments);
        Assert.True(mount.ExitCode == 0, mount.ToString());
    }
}
