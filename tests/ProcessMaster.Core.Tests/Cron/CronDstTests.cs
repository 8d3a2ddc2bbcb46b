using ProcessMaster.Core.Cron;
using static ProcessMaster.Core.Tests.Cron.CronFixtures;

namespace ProcessMaster.Core.Tests.Cron;

/// <summary>
/// Whole days around DST changes, evaluated as the shell does (at each due instant, on time and 1.5 s late).
/// Spring forward: Berlin 2025-03-30 02:00→03:00, New York 2025-03-09 02:00→03:00.
/// Fall back: Berlin 2025-10-26 03:00→02:00, New York 2025-11-02 02:00→01:00.
/// </summary>
public class CronDstTests
{
    [Theory]
    // A fixed time inside the skipped hour runs once, at the jump; the next day at its usual time.
    [InlineData("Europe/Berlin", "30 2 * * *", "2025-03-29T12:00:00+01:00", "2025-03-31T12:00:00+02:00",
        "2025-03-30T03:00:00+02:00 2025-03-31T02:30:00+02:00")]
    [InlineData("America/New_York", "30 2 * * *", "2025-03-08T12:00:00-05:00", "2025-03-10T12:00:00-04:00",
        "2025-03-09T03:00:00-04:00 2025-03-10T02:30:00-04:00")]
    // Several fixed times inside the skipped hour still run only once, at the jump.
    [InlineData("Europe/Berlin", "15,45 2 * * *", "2025-03-29T12:00:00+01:00", "2025-03-30T12:00:00+02:00",
        "2025-03-30T03:00:00+02:00")]
    // An interval schedule: the skipped local times do not exist; the run at the jump is 03:00's own.
    [InlineData("Europe/Berlin", "*/20 * * * *", "2025-03-30T01:30:00+01:00", "2025-03-30T03:30:00+02:00",
        "2025-03-30T01:40:00+01:00 2025-03-30T03:00:00+02:00 2025-03-30T03:20:00+02:00")]
    public void Timeline_SpringForward_SkippedTimesRunOnceAtTheJump(string zone, string cron, string from, string until, string expected) =>
        AssertTimeline(zone, cron, from, until, expected);

    [Theory]
    // A fixed time in the repeated hour runs once (the first pass), 5- or 6-field.
    [InlineData("Europe/Berlin", "30 2 * * *", "2025-10-25T12:00:00+02:00", "2025-10-27T12:00:00+01:00",
        "2025-10-26T02:30:00+02:00 2025-10-27T02:30:00+01:00")]
    [InlineData("Europe/Berlin", "0 30 2 * * *", "2025-10-25T12:00:00+02:00", "2025-10-27T12:00:00+01:00",
        "2025-10-26T02:30:00+02:00 2025-10-27T02:30:00+01:00")]
    [InlineData("America/New_York", "30 1 * * *", "2025-11-01T12:00:00-04:00", "2025-11-03T12:00:00-05:00",
        "2025-11-02T01:30:00-04:00 2025-11-03T01:30:00-05:00")]
    // An interval field (*, range or step in second, minute or hour) runs in both passes, each occurrence once.
    [InlineData("America/New_York", "@hourly", "2025-11-02T00:30:00-04:00", "2025-11-02T02:30:00-05:00",
        "2025-11-02T01:00:00-04:00 2025-11-02T01:00:00-05:00 2025-11-02T02:00:00-05:00")]
    [InlineData("Europe/Berlin", "*/20 2 * * *", "2025-10-26T01:00:00+02:00", "2025-10-26T04:00:00+01:00",
        "2025-10-26T02:00:00+02:00 2025-10-26T02:20:00+02:00 2025-10-26T02:40:00+02:00 2025-10-26T02:00:00+01:00 2025-10-26T02:20:00+01:00 2025-10-26T02:40:00+01:00")]
    [InlineData("Europe/Berlin", "*/30 30 2 * * *", "2025-10-26T02:00:00+02:00", "2025-10-26T03:00:00+01:00",
        "2025-10-26T02:30:00+02:00 2025-10-26T02:30:30+02:00 2025-10-26T02:30:00+01:00 2025-10-26T02:30:30+01:00")]
    public void Timeline_FallBack_FixedTimesOnceIntervalsInBothPasses(string zone, string cron, string from, string until, string expected) =>
        AssertTimeline(zone, cron, from, until, expected);

    [Theory]
    [InlineData("America/New_York", "@yearly", "2025-06-01T00:00:00-04:00", "2028-06-01T00:00:00-04:00",
        "2026-01-01T00:00:00-05:00 2027-01-01T00:00:00-05:00 2028-01-01T00:00:00-05:00")]
    [InlineData("Europe/Berlin", "0 0 31 * *", "2025-01-01T00:00:00+01:00", "2025-09-01T00:00:00+02:00",
        "2025-01-31T00:00:00+01:00 2025-03-31T00:00:00+02:00 2025-05-31T00:00:00+02:00 2025-07-31T00:00:00+02:00 2025-08-31T00:00:00+02:00")]
    [InlineData("Europe/Berlin", "0 23 L * *", "2025-01-15T00:00:00+01:00", "2025-04-15T00:00:00+02:00",
        "2025-01-31T23:00:00+01:00 2025-02-28T23:00:00+01:00 2025-03-31T23:00:00+02:00")]
    public void Timeline_LongSpans_RunOnEveryOccurrence(string zone, string cron, string from, string until, string expected) =>
        AssertTimeline(zone, cron, from, until, expected);

    private static void AssertTimeline(string zone, string cron, string from, string until, string expected)
    {
        var tz = Zone(zone);
        foreach (var lateness in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(1500) })
        {
            var decisions = Timeline.Run(Policy(cron), tz, At(from), At(until), lateness);
            Assert.All(decisions, d => Assert.IsType<CronDecision.Fire>(d));   // a DST change is not a missed run
            Assert.Equal(expected, string.Join(' ', Timeline.Fired(decisions).Select(f => Local(f, tz))));
        }
    }
}
