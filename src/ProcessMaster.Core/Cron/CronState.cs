namespace ProcessMaster.Core.Cron;

/// <summary>
/// The planner's memory of one job, replaced whole by each <see cref="CronPlanner"/> call and persisted by the
/// shell (so that a daemon restart neither repeats nor silently forgets an occurrence). Instants are UTC.
/// </summary>
/// <param name="HandledUpTo">Every occurrence at or before this instant is done with (fired or skipped), or
/// lies before the plan began (<see cref="CronPlanner.Begin"/>). The plan only looks strictly after it, which is
/// what keeps a backward clock step from firing an occurrence twice.</param>
/// <param name="LastFired">The occurrence of the latest run the planner fired (null before the first).</param>
public sealed record CronState(DateTimeOffset HandledUpTo, DateTimeOffset? LastFired);
