using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// A stop that waits out a very long grace period (50 days) on a service that ignores SIGTERM. SIGTERM to the daemon
/// does not hang behind it: the waiting <c>pmctl stop</c> is answered, the state is saved, the daemon exits, the
/// service keeps running, and the next daemon adopts it still stopping. A second stop, or <c>stop --force</c>, does
/// not wait: <c>cgroup.kill</c> at once.
/// </summary>
public sealed class LongStopTests : IAsyncLifetime
{
    private const string Marker = "4000001";
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public async ValueTask InitializeAsync()
    {
        // An ignored signal stays ignored across exec: sleep itself ignores SIGTERM.
        _daemon.WriteService("stubborn", $$"""
            process:
              working_directory: {{_daemon.WorkDir("stubborn")}}
              start_command: ["/bin/sh", "-c", "trap '' TERM; exec /bin/sleep {{Marker}}"]
              stop_grace_period_ms: 4320000000
            """);
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "stubborn", s => s.Running, TimeSpan.FromSeconds(30), "stubborn RUNNING");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task SigtermDuringALongStop_DaemonExits_ServiceAdoptedStillStopping_SecondStopKills()
    {
        IReadOnlyList<int> pids = (await ServiceStatus.ReadAsync(_daemon, "stubborn")).Pids;
        Task<CommandResult> firstStop = _daemon.PmctlAsync("stop", "stubborn");
        await _daemon.WaitForLogAsync("[stop] app=stubborn signal 15 sent", TimeSpan.FromSeconds(30));
        await ServiceStatus.WaitAsync(_daemon, "stubborn", s => s.Phase == "STOPPING", TimeSpan.FromSeconds(30), "STOPPING");

        Assert.Equal(0, await _daemon.StopAsync(PosixSignalName.Term));

        CommandResult answered = await firstStop;
        Assert.True(answered.ExitCode == 1, answered.ToString());
        Assert.Contains("stubborn: the daemon is shutting down before this finished", answered.Stderr, StringComparison.Ordinal);
        Assert.Contains("[daemon] state saved to", _daemon.Log, StringComparison.Ordinal);
        Assert.All(pids, pid => Assert.True(Directory.Exists($"/proc/{pid}") && !ProcFacts.IsZombie(pid), $"pid {pid} still runs"));

        int mark = _daemon.Log.Length;
        await _daemon.StartAsync();
        ServiceStatus adopted = await ServiceStatus.ReadAsync(_daemon, "stubborn");
        Assert.Equal("STOPPING", adopted.Phase); // the stop under way, with its deadline, was restored
        Assert.Equal(pids.Order(), adopted.Pids.Order());
        Assert.Contains("adopted without a restart", _daemon.Log[mark..], StringComparison.Ordinal);

        CommandResult second = await _daemon.PmctlAsync("stop", "stubborn");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("stubborn: stopped (STOPPED)\n", second.Stdout);
        Assert.Contains("[stop] app=stubborn cgroup.kill written", _daemon.Log[mark..], StringComparison.Ordinal);
        Assert.Empty(ProcFacts.PidsWithMarker("sleep " + Marker));
    }

    [Fact]
    public async Task StopForce_OfARunningServiceThatIgnoresSigterm_KillsAtOnce()
    {
        CommandResult stop = await _daemon.PmctlAsync("stop", "stubborn", "--force");

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal("stubborn: stopped (STOPPED)\n", stop.Stdout);
        Assert.Contains("stop requested by operator (forced: cgroup.kill now)", _daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("[stop] app=stubborn signal 15 sent", _daemon.Log, StringComparison.Ordinal);
        Assert.Empty(ProcFacts.PidsWithMarker("sleep " + Marker));
    }
}
