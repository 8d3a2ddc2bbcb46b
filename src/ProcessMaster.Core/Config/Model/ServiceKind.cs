using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary>A service is either long-running (supervised, restarted by policy) or a scheduled job.</summary>
public abstract record ServiceKind
{
    private protected ServiceKind()
    {
    }

    /// <summary>Started at boot when enabled and supervised by <paramref name="Restart"/>.</summary>
    public sealed record LongRunning(RestartPolicy Restart) : ServiceKind;

    /// <summary>Runs when <paramref name="Schedule"/> is due, never overlapping; has no restart policy.</summary>
    /// <param name="Schedule">The cron schedule.</param>
    /// <param name="NotBefore">No run before this local time; null = unbounded.</param>
    /// <param name="NotAfter">No run after this local time (date-only = end of day); null = unbounded.</param>
    /// <param name="MaxTimePerRun">A run longer than this is stopped; null = never.</param>
    public sealed record Job(Schedule Schedule, LocalDateBound? NotBefore, LocalDateBound? NotAfter, Duration? MaxTimePerRun) : ServiceKind;
}
