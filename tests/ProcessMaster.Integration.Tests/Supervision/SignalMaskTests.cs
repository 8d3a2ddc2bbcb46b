using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// A daemon started with SIGHUP blocked (inherited from the thread that started it) still reloads on SIGHUP: it unblocks
/// every signal first thing (docs/signals.md). Before, such a daemon ignored every SIGHUP without a trace, which is how
/// the SIGHUP reload test failed only in the full suite.
/// </summary>
public sealed class SignalMaskTests : IAsyncLifetime
{
    private const int SIGHUP = 1;
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task StartedWithSighupBlocked_UnblocksEverySignal_SighupStillReloads()
    {
        await ThreadSignalMask.RunBlocking(SIGHUP, () => _daemon.StartAsync());
        int pid = _daemon.Pid!.Value;
        Assert.Equal(0UL, ThreadSignalMask.BlockedOf(pid));
        _daemon.WriteService("fresh", $$"""
            process:
              working_directory: {{_daemon.WorkDir("fresh")}}
              start_command: ["/bin/sleep", "3000019"]
            """);
        int mark = _daemon.Log.Length;

        _daemon.Signal(PosixSignalName.Hup);

        await _daemon.WaitForLogAsync("update (reload the service definitions) requested by SIGHUP", TimeSpan.FromSeconds(30), mark);
        await ServiceStatus.WaitAsync(_daemon, "fresh", s => s.Running, TimeSpan.FromSeconds(30), "fresh RUNNING after SIGHUP");
        Assert.Equal(pid, _daemon.Pid);
    }
}
