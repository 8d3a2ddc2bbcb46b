using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Config;

/// <summary>
/// Durations --check accepts (up to 3650 days) work in the daemon: a deadline beyond what one timer can hold
/// (about 49.7 days) is armed in steps, it does not kill the daemon.
/// </summary>
public sealed class LongDurationTests
{
    [Fact]
    public async Task Backoff_SixtyDays_ServiceWaitsInBackoff_DaemonStaysUp()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        daemon.WriteService("crasher", $"""
            process:
              working_directory: {daemon.WorkDir("crasher")}
              start_command: ["/bin/false"]
            restart_policy:
              policy: always
              restart_backoff_ms: 5184000000
            """);
        CommandResult check = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", daemon.ConfigPath]);
        Assert.True(check.ExitCode == 0, check.ToString());

        await daemon.StartAsync();

        await ServiceStatus.WaitAsync(daemon, "crasher", s => s.Phase == "BACKOFF", TimeSpan.FromSeconds(30), "crasher in BACKOFF for 60 days");
        // The loop armed the 60-day deadline before it answered this status call.
        ServiceStatus status = await ServiceStatus.ReadAsync(daemon, "crasher");
        Assert.Equal("BACKOFF", status.Phase);
        Assert.NotNull(daemon.Pid);
        Assert.DoesNotContain("Unhandled exception", daemon.Log, StringComparison.Ordinal);
    }
}
