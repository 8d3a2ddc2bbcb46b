using ProcessMaster.Core.Cron;

namespace ProcessMaster.Core.Tests.Cron;

/// <summary>
/// Drives the pure planner the way the shell does with an ideal timer: evaluate at every <see cref="CronStep.Due"/>
/// plus a fixed lateness, from <c>Begin(from)</c> until <c>until</c>; no clock steps.
/// </summary>
internal static class Timeline
{
    public static List<CronDecision> Run(CronPolicy policy, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset until, TimeSpan lateness = default)
    {
        var decisions = new List<CronDecision>();
        CronState state = CronPlanner.Begin(from);
        CronStep step = CronPlanner.Replan(state, policy, from, zone);
        while (step.Due is { } due && due + lateness <= until)
        {
            step = CronPlanner.OnTimer(step.State, policy, due + lateness, zone, runInProgress: false);
            decisions.Add(step.Decision);
            Assert.True(decisions.Count < 100_000, "runaway timeline");
        }

        return decisions;
    }

    public static List<DateTimeOffset> Fired(IEnumerable<CronDecision> decisions) =>
        [.. decisions.OfType<CronDecision.Fire>().Select(f => f.Occurrence)];
}
