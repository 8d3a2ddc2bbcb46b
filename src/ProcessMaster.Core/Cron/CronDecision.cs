namespace ProcessMaster.Core.Cron;

/// <summary>What the shell does after an evaluation (<see cref="CronPlanner.OnTimer"/>).</summary>
public abstract record CronDecision
{
    private protected CronDecision()
    {
    }

    /// <summary>
    /// Start a run now: feed <c>StartRequested(Requester.Schedule)</c> to the lifecycle.
    /// </summary>
    /// <param name="Occurrence">The occurrence this run is for.</param>
    /// <param name="CatchUp">True when <paramref name="Occurrence"/> was missed and this is the single
    /// catch-up run of <see cref="CronPolicy.CatchUp"/>.</param>
    /// <param name="Missed">Earlier occurrences passed over without a run (report them), or null.</param>
    public sealed record Fire(DateTimeOffset Occurrence, bool CatchUp, OccurrenceRange? Missed) : CronDecision;

    /// <summary>Do not start anything; record the skip as an event.</summary>
    /// <param name="Reason">Why <paramref name="Occurrence"/> did not run.</param>
    /// <param name="Occurrence">The latest occurrence handled by this evaluation.</param>
    /// <param name="Missed">Earlier occurrences passed over in the same evaluation (all <see cref="SkipReason.Missed"/>), or null.</param>
    public sealed record Skip(SkipReason Reason, DateTimeOffset Occurrence, OccurrenceRange? Missed) : CronDecision;

    /// <summary>Nothing is due; the next occurrence is <paramref name="Next"/> (also <see cref="CronStep.Due"/>).
    /// From <see cref="CronPlanner.Replan"/>, <paramref name="Next"/> may already have passed: wake at once.</summary>
    public sealed record NotYet(DateTimeOffset Next) : CronDecision;

    /// <summary>No occurrence will ever come: past <c>not_after</c>, or the schedule has none left.</summary>
    public sealed record Finished : CronDecision;
}
