using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// A daemon inherits its signal mask and its ignored signals from whoever started it, and still reloads on SIGHUP
/// (docs/signals.md): it unblocks every signal and puts an ignored SIGHUP, SIGUSR1, SIGTERM and SIGCHLD back to their
/// default first thing. Before, a daemon started from a thread that blocked SIGHUP, or under <c>nohup</c> (SIGHUP
/// ignored, and .NET installs no handler for a signal ignored at start), took every SIGHUP as a silent no-op: that is
/// how the SIGHUP reload test failed only in suites started under nohup.
/// </summary>
public sealed class InheritedSignalStateTests : IAsyncLifetime
{
    private const int SIGHUP = 1;
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task StartedWithSighupBlocked_UnblocksEverySignal_SighupStillReloads()
    {
        await ThreadSignalMask.RunBlocking(SIGHUP, () => _daemon.StartAsync());

        Assert.Equal(0UL, ThreadSignalMask.BlockedOf(_daemon.Pid!.Value));
        await AssertSighupReloads();
    }

    [Fact]
    public async Task StartedUnderNohup_SighupIsCaughtNotIgnored_SighupStillReloads()
    {
        await _daemon.StartAsync(launcher: ["/usr/bin/nohup"]);

        int pid = _daemon.Pid!.Value;
        Assert.Equal(0UL, ThreadSignalMask.IgnoredOf(pid) & ThreadSignalMask.Bit(SIGHUP));
        Assert.Equal(ThreadSignalMask.Bit(SIGHUP), ThreadSignalMask.CaughtOf(pid) & ThreadSignalMask.Bit(SIGHUP));
        await AssertSighupReloads();
    }

    private async Task AssertSighupReloads()
    {
        int pid = _daemon.Pid!.Value;
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
