using ProcessMaster.Core.Config.Model;

namespace ProcessMaster.Core.Cron;

/// <summary>
/// When a job runs, as pure functions of the schedule, its window, the time zone and the wall clock (Core never
/// reads a clock). The shell arms one timer for <see cref="Next"/> and calls <see cref="OnTimer"/> when it fires:
/// an occurrence runs at most once (the last one fired is remembered, so a clock stepped back never repeats it),
/// and occurrences that passed while nothing could run them (daemon down, host suspended, clock stepped forward)
/// are skipped and counted, not run in a burst. Daylight-saving time follows Cronos: a local time skipped by the
/// spring-forward gap runs once at the gap's end; a local time that occurs twice in the fall-back hour runs once
/// (docs/cron.md).
/// </summary>
public static class CronPlanner
{
    /// <summary>How late a timer may fire and still run its occurrence: a busy host is not a missed run.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>The first occurrence strictly after <paramref name="after"/> that lies within the job's window, or null if none ever will.</summary>
    public static DateTimeOffset? Next(ServiceKind.Job job, TimeZoneInfo zone, DateTimeOffset after)
    {
        DateTimeOffset from = after;
        bool inclusive = false;
        if (job.NotBefore is { } notBefore && notBefore.ToInstant(zone) > after)
        {
            from = notBefore.ToInstant(zone);
            inclusive = true;
        }
        DateTimeOffset? next = job.Schedule.Expression.GetNextOccurrence(from, zone, inclusive);
        if (next is null) return null;
        if (job.NotAfter is { } notAfter && next > notAfter.ToInstant(zone)) return null;
        return next;
    }

    /// <summary>
    /// What to do when the timer armed for <paramref name="due"/> fires at wall time <paramref name="now"/>, given the
    /// last occurrence that ran (or was skipped).
    /// </summary>
    public static CronDecision OnTimer(ServiceKind.Job job, TimeZoneInfo zone, DateTimeOffset due, DateTimeOffset now, DateTimeOffset? lastFired)
    {
        if (lastFired is { } last && due <= last)
            return new CronDecision.NotYet(Next(job, zone, Max(last, now)));   // already handled: never twice
        if (now < due)
            return new CronDecision.NotYet(due);                                // early, or the clock stepped back
        if (now - due <= Grace)
            return new CronDecision.Fire(due, Next(job, zone, Max(due, now)));
        int missed = CountBetween(job, zone, due, now);
        return new CronDecision.Missed(due, missed, Next(job, zone, now));
    }

    /// <summary>Occurrences in [<paramref name="from"/>, <paramref name="to"/>), capped at 10,000 (a 1-second job down for days).</summary>
    private static int CountBetween(ServiceKind.Job job, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        int count = 0;
        for (DateTimeOffset? t = from; t is { } at && at < to && count < 10_000; t = job.Schedule.Expression.GetNextOccurrence(at, zone, inclusive: false))
            count++;
        return count;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>The planner's answer when a job's timer fires; <see cref="Next"/> is the occurrence to arm next (null: none will come).</summary>
public abstract record CronDecision
{
    private protected CronDecision()
    {
    }

    /// <summary>The next occurrence to arm the timer for, or null when the window is over or the schedule exhausted.</summary>
    public abstract DateTimeOffset? Next { get; init; }

    /// <summary>Run occurrence <paramref name="Occurrence"/> now (unless the previous run is still alive: that skip is the shell's).</summary>
    public sealed record Fire(DateTimeOffset Occurrence, DateTimeOffset? Next) : CronDecision;

    /// <summary>Nothing to run now; wait for <paramref name="Next"/>.</summary>
    public sealed record NotYet(DateTimeOffset? Next) : CronDecision;

    /// <summary><paramref name="Count"/> occurrences from <paramref name="First"/> on passed while nothing could run them: skipped.</summary>
    public sealed record Missed(DateTimeOffset First, int Count, DateTimeOffset? Next) : CronDecision;
}
