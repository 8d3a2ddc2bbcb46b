using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Cron;

/// <summary>
/// Plans the runs of cron jobs: which occurrence is next, and what to do when the timer armed for it fires.
/// Pure: every call takes the wall-clock time read by the shell and the zone to evaluate the schedule in
/// (the daemon passes <see cref="TimeZoneInfo.Local"/>); instants in and out are UTC <see cref="DateTimeOffset"/>s.
/// <para>
/// The shell keeps one <see cref="CronState"/> per job (from <see cref="Begin"/>, or restored), arms one timer
/// for <see cref="CronStep.Due"/> (monotonic delay <c>Due - nowWall</c>), and on every wake reads the wall clock
/// afresh and calls <see cref="OnTimer"/>. On a detected wall-clock step, a reload or at boot it calls
/// <see cref="Replan"/> and re-arms. Occurrences are identified by their instant: each is fired or skipped at
/// most once, however the wall clock moves. See docs/cron.md.
/// </para>
/// </summary>
public static class CronPlanner
{
    /// <summary>Default <see cref="CronPolicy.Grace"/>: an occurrence evaluated up to 5 s late still runs.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="CronPolicy.BackwardStepLimit"/>: one hour.</summary>
    public static readonly TimeSpan DefaultBackwardStepLimit = TimeSpan.FromHours(1);

    /// <summary>Missed occurrences are counted up to this many (<see cref="OccurrenceRange.CountIsLowerBound"/> beyond).</summary>
    public const int MaxCountedOccurrences = 10_000;

    /// <summary>A fresh plan at <paramref name="nowWall"/>: only occurrences strictly after it will run. Use it for a
    /// new or newly enabled job; a disabled job is not evaluated, so it misses nothing.</summary>
    public static CronState Begin(DateTimeOffset nowWall) => new(nowWall.ToUniversalTime(), null);

    /// <summary>
    /// The first occurrence of <paramref name="schedule"/> in <paramref name="zone"/> strictly after
    /// <paramref name="after"/> that lies inside <paramref name="window"/> (UTC), or null when none will ever come
    /// (past <c>not_after</c>, or the schedule is exhausted). DST follows Cronos: a local time skipped by a jump
    /// forward runs once at the jump; in a repeated hour a fixed time runs once, an interval field in both passes.
    /// </summary>
    public static DateTimeOffset? Next(Schedule schedule, RunWindow window, TimeZoneInfo zone, DateTimeOffset after)
    {
        DateTimeOffset? occurrence = window.Start(zone) is { } start && after < start
            ? schedule.Expression.GetNextOccurrence(start, zone, inclusive: true)
            : schedule.Expression.GetNextOccurrence(after, zone);
        if (occurrence is not { } found) return null;
        if (window.End(zone) is { } end && found > end) return null;
        return found.ToUniversalTime();
    }

    /// <summary>
    /// The timer fired (or the shell wants a decision now): decide for every occurrence since
    /// <see cref="CronState.HandledUpTo"/> up to <paramref name="nowWall"/>.
    /// <list type="bullet">
    /// <item>None due: <see cref="CronDecision.NotYet"/>, or <see cref="CronDecision.Finished"/> when none will come.</item>
    /// <item>The latest due occurrence is at most <see cref="CronPolicy.Grace"/> old: it runs
    /// (<see cref="CronDecision.Fire"/>), or, when <paramref name="runInProgress"/>, is skipped as
    /// <see cref="SkipReason.Overlap"/>. Earlier due ones are reported as missed.</item>
    /// <item>It is older: all are skipped as <see cref="SkipReason.Missed"/>; with <see cref="CronPolicy.CatchUp"/>
    /// and now inside the window, the latest runs once instead (<see cref="CronDecision.Fire.CatchUp"/>).</item>
    /// </list>
    /// Every occurrence handled here is done with: a later call, whatever the clock says, never returns it again.
    /// </summary>
    /// <param name="state">The job's state.</param>
    /// <param name="policy">The job's schedule, window and late-run rules.</param>
    /// <param name="nowWall">The wall clock, read by the shell just now.</param>
    /// <param name="zone">The zone the schedule and the window are evaluated in.</param>
    /// <param name="runInProgress">True while a run is alive (the lifecycle is not at rest); the shell must not
    /// ask the lifecycle to start then, so the planner makes the overlap an explicit skip.</param>
    public static CronStep OnTimer(CronState state, CronPolicy policy, DateTimeOffset nowWall, TimeZoneInfo zone, bool runInProgress)
    {
        DateTimeOffset now = nowWall.ToUniversalTime();
        state = Rebase(state, policy, now);
        DateTimeOffset? first = Next(policy, zone, state.HandledUpTo);
        if (first is not { } earliest) return new CronStep(state, new CronDecision.Finished(), null);
        if (earliest > now) return new CronStep(state, new CronDecision.NotYet(earliest), earliest);

        DateTimeOffset latest = Latest(policy, zone, earliest, now);
        OccurrenceRange? missed = earliest < latest ? Between(policy, zone, earliest, latest) : null;
        var handled = state with { HandledUpTo = latest };
        DateTimeOffset? due = Next(policy, zone, latest);

        bool onTime = now - latest <= policy.Grace;
        bool catchUp = !onTime && policy.CatchUp && policy.Window.Contains(now, zone);
        CronDecision decision;
        if (!onTime && !catchUp)
        {
            decision = new CronDecision.Skip(SkipReason.Missed, latest, missed);
        }
        else if (runInProgress)
        {
            decision = new CronDecision.Skip(SkipReason.Overlap, latest, missed);
        }
        else
        {
            decision = new CronDecision.Fire(latest, catchUp, missed);
            handled = handled with { LastFired = latest };
        }

        return new CronStep(handled, decision, due);
    }

    /// <summary>
    /// Recomputes where the timer belongs without deciding anything: after a wall-clock step the shell has
    /// detected, a reload of the job (new <paramref name="policy"/>, same state), or a boot with restored state.
    /// Applies <see cref="CronPolicy.BackwardStepLimit"/>. Returns <see cref="CronDecision.NotYet"/> with the first
    /// unhandled occurrence (which may already have passed: arm for zero delay and let <see cref="OnTimer"/>
    /// decide), or <see cref="CronDecision.Finished"/>.
    /// </summary>
    public static CronStep Replan(CronState state, CronPolicy policy, DateTimeOffset nowWall, TimeZoneInfo zone)
    {
        state = Rebase(state, policy, nowWall.ToUniversalTime());
        return Next(policy, zone, state.HandledUpTo) is { } next
            ? new CronStep(state, new CronDecision.NotYet(next), next)
            : new CronStep(state, new CronDecision.Finished(), null);
    }

    private static DateTimeOffset? Next(CronPolicy policy, TimeZoneInfo zone, DateTimeOffset after) =>
        Next(policy.Schedule, policy.Window, zone, after);

    // The clock was set back below what the plan has handled. A small step keeps the progress (no occurrence runs
    // twice); a large one means the earlier clock was wrong (e.g. an RTC years ahead at boot): start again from now.
    private static CronState Rebase(CronState state, CronPolicy policy, DateTimeOffset now) =>
        state.HandledUpTo - now > policy.BackwardStepLimit ? state with { HandledUpTo = now } : state;

    // The latest occurrence at or before `bound`, given `first`, an occurrence at or before it. Binary search over
    // Next (occurrences are whole seconds), so it is consistent with Next across DST and costs O(log span) calls
    // even after a long downtime of a per-second job.
    private static DateTimeOffset Latest(CronPolicy policy, TimeZoneInfo zone, DateTimeOffset first, DateTimeOffset bound)
    {
        // Invariant: lo is an occurrence <= bound; no occurrence lies in (hi, bound].
        DateTimeOffset lo = first;
        DateTimeOffset hi = bound;
        while (hi - lo > TimeSpan.FromSeconds(1))
        {
            DateTimeOffset mid = lo + (hi - lo) / 2;
            if (Next(policy, zone, mid) is { } n && n <= bound) lo = n;
            else hi = mid;
        }

        return Next(policy, zone, lo) is { } last && last <= bound ? last : lo;
    }

    // The occurrences from `first` (an occurrence) up to, not including, `before`.
    private static OccurrenceRange Between(CronPolicy policy, TimeZoneInfo zone, DateTimeOffset first, DateTimeOffset before)
    {
        DateTimeOffset last = Latest(policy, zone, first, before - TimeSpan.FromTicks(1));
        int count = 1;
        DateTimeOffset at = first;
        while (at < last)
        {
            if (count == MaxCountedOccurrences) return new OccurrenceRange(first, last, count, true);
            at = Next(policy, zone, at) ?? last;
            count++;
        }

        return new OccurrenceRange(first, last, count, false);
    }
}
