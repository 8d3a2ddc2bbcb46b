using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Restart;

namespace ProcessMaster.Core.Config.Model;

/// <summary>
/// How a definition runs: long-running (supervised, restarted by policy) or a scheduled job, with the settings of
/// each. <see cref="Lifecycle.ServicePolicy.For"/> reduces it to a <see cref="Lifecycle.ServiceKind"/> for the state machine.
/// </summary>
public abstract record RunMode
{
    private protected RunMode()
    {
    }

    /// <summary>Started at boot when enabled and supervised by <paramref name="Restart"/>.</summary>
    public sealed record LongRunning(RestartPolicy Restart) : RunMode;

    /// <summary>Runs when <paramref name="Schedule"/> is due, never overlapping; has no restart policy.</summary>
    /// <param name="Schedule">The cron schedule.</param>
    /// <param name="NotBefore">No run before this local time; null = unbounded.</param>
    /// <param name="NotAfter">No run after this local time (date-only = end of day); null = unbounded.</param>
    /// <param name="MaxTimePerRun">A run longer than this is stopped; null = never.</param>
    public sealed record Job(Schedule Schedule, LocalDateBound? NotBefore, LocalDateBound? NotAfter, Duration? MaxTimePerRun) : RunMode;
}
