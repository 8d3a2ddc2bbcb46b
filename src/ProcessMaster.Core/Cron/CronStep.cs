namespace ProcessMaster.Core.Cron;

/// <summary>The result of one <see cref="CronPlanner"/> evaluation.</summary>
/// <param name="State">The new state: store it (and persist it) in place of the old one.</param>
/// <param name="Decision">What to do now.</param>
/// <param name="Due">The next occurrence (UTC) to arm the timer for, as <c>Due - nowWall</c> in monotonic time
/// (zero when already passed); null: nothing will ever be due, disarm.</param>
public sealed record CronStep(CronState State, CronDecision Decision, DateTimeOffset? Due);
