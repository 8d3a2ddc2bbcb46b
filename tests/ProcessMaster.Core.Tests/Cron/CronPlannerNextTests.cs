using ProcessMaster.Core.Cron;
using static ProcessMaster.Core.Tests.Cron.CronFixtures;

namespace ProcessMaster.Core.Tests.Cron;

public class CronPlannerNextTests
{
    [Theory]
    // Seconds: 6 fields, strictly after a sub-second instant.
    [InlineData("*/2 * * * * *", "UTC", "2025-06-01T12:00:00.5+00:00", "2025-06-01T12:00:02+00:00")]
    [InlineData("*/2 * * * * *", "UTC", "2025-06-01T12:00:01+00:00", "2025-06-01T12:00:02+00:00")]
    [InlineData("*/2 * * * * *", "UTC", "2025-06-01T12:00:02+00:00", "2025-06-01T12:00:04+00:00")]
    [InlineData("30 * * * * *", "UTC", "2025-06-01T12:00:30+00:00", "2025-06-01T12:01:30+00:00")]
    // 5 fields: second 0; strictly after.
    [InlineData("*/5 * * * *", "Europe/Berlin", "2025-06-01T12:00:00+02:00", "2025-06-01T12:05:00+02:00")]
    // Vixie weekdays: 1-5 is Monday to Friday; 0 and 7 are Sunday; names.
    [InlineData("0 9 * * 1-5", "Europe/Berlin", "2025-06-06T10:00:00+02:00", "2025-06-09T09:00:00+02:00")]
    [InlineData("0 9 * * 0", "Europe/Berlin", "2025-06-06T10:00:00+02:00", "2025-06-08T09:00:00+02:00")]
    [InlineData("0 9 * * 7", "Europe/Berlin", "2025-06-06T10:00:00+02:00", "2025-06-08T09:00:00+02:00")]
    [InlineData("0 9 * * SUN", "Europe/Berlin", "2025-06-06T10:00:00+02:00", "2025-06-08T09:00:00+02:00")]
    [InlineData("0 12 1 JAN,JUL *", "Europe/Berlin", "2025-02-01T00:00:00+01:00", "2025-07-01T12:00:00+02:00")]
    [InlineData("15,45 8-10/2 * * *", "Europe/Berlin", "2025-06-01T08:45:00+02:00", "2025-06-01T10:15:00+02:00")]
    // End of month: the 31st skips short months; L is the last day.
    [InlineData("0 0 31 * *", "Europe/Berlin", "2025-01-31T00:00:00+01:00", "2025-03-31T00:00:00+02:00")]
    [InlineData("0 0 31 * *", "Europe/Berlin", "2025-03-31T00:00:00+02:00", "2025-05-31T00:00:00+02:00")]
    [InlineData("0 0 L * *", "Europe/Berlin", "2025-01-31T00:00:00+01:00", "2025-02-28T00:00:00+01:00")]
    [InlineData("0 0 L * *", "Europe/Berlin", "2028-01-31T00:00:00+01:00", "2028-02-29T00:00:00+01:00")]
    [InlineData("0 0 29 2 *", "Europe/Berlin", "2025-01-01T00:00:00+01:00", "2028-02-29T00:00:00+01:00")]
    // Macros.
    [InlineData("@yearly", "Europe/Berlin", "2025-06-01T00:00:00+02:00", "2026-01-01T00:00:00+01:00")]
    [InlineData("@yearly", "Europe/Berlin", "2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00")]
    [InlineData("@annually", "America/New_York", "2025-12-31T23:59:59-05:00", "2026-01-01T00:00:00-05:00")]
    [InlineData("@monthly", "Europe/Berlin", "2025-02-15T00:00:00+01:00", "2025-03-01T00:00:00+01:00")]
    [InlineData("@weekly", "Europe/Berlin", "2025-06-04T00:00:00+02:00", "2025-06-08T00:00:00+02:00")]
    [InlineData("@daily", "Europe/Berlin", "2025-06-04T00:00:00+02:00", "2025-06-05T00:00:00+02:00")]
    [InlineData("@hourly", "Europe/Berlin", "2025-06-04T23:30:00+02:00", "2025-06-05T00:00:00+02:00")]
    // DST spring forward (Berlin 2025-03-30 02:00→03:00, New York 2025-03-09 02:00→03:00): a skipped time runs at the jump.
    [InlineData("30 2 * * *", "Europe/Berlin", "2025-03-29T12:00:00+01:00", "2025-03-30T03:00:00+02:00")]
    [InlineData("30 2 * * *", "Europe/Berlin", "2025-03-30T03:00:00+02:00", "2025-03-31T02:30:00+02:00")]
    [InlineData("30 2 * * *", "America/New_York", "2025-03-08T12:00:00-05:00", "2025-03-09T03:00:00-04:00")]
    // DST fall back (Berlin 2025-10-26 03:00→02:00, New York 2025-11-02 02:00→01:00): a fixed time runs in the first pass only.
    [InlineData("30 2 * * *", "Europe/Berlin", "2025-10-25T12:00:00+02:00", "2025-10-26T02:30:00+02:00")]
    [InlineData("30 2 * * *", "Europe/Berlin", "2025-10-26T02:30:00+02:00", "2025-10-27T02:30:00+01:00")]
    [InlineData("30 1 * * *", "America/New_York", "2025-11-02T01:30:00-04:00", "2025-11-03T01:30:00-05:00")]
    // ... an interval field runs in both passes.
    [InlineData("@hourly", "America/New_York", "2025-11-02T01:00:00-04:00", "2025-11-02T01:00:00-05:00")]
    public void Next_Expression_ReturnsTheNextOccurrence(string cron, string zone, string after, string expected)
    {
        var tz = Zone(zone);
        DateTimeOffset? next = CronPlanner.Next(ParseCron(cron), RunWindow.Unbounded, tz, At(after));
        Assert.NotNull(next);
        Assert.Equal(TimeSpan.Zero, next.Value.Offset);
        Assert.Equal(expected.Replace(".5", "", StringComparison.Ordinal), Local(next.Value, tz));
    }

    [Theory]
    [InlineData("0 * * * *", "2025-07-01", null, "2025-06-01T00:00:00+02:00", "2025-07-01T00:00:00+02:00")]
    [InlineData("30 * * * *", "2025-07-01 10:15:00", null, "2025-06-01T00:00:00+02:00", "2025-07-01T10:30:00+02:00")]
    [InlineData("0 12 * * *", "2025-07-01 12:00:00", null, "2025-06-01T00:00:00+02:00", "2025-07-01T12:00:00+02:00")]
    [InlineData("59 23 * * *", null, "2025-06-30", "2025-06-30T12:00:00+02:00", "2025-06-30T23:59:00+02:00")]
    [InlineData("0 12 * * *", null, "2025-06-30 12:00:00", "2025-06-30T11:00:00+02:00", "2025-06-30T12:00:00+02:00")]
    public void Next_InsideWindow_BoundsAreInclusive(string cron, string? notBefore, string? notAfter, string after, string expected)
    {
        DateTimeOffset? next = CronPlanner.Next(ParseCron(cron), Window(notBefore, notAfter), Berlin, At(after));
        Assert.NotNull(next);
        Assert.Equal(expected, Local(next.Value, Berlin));
    }

    [Theory]
    [InlineData("59 23 * * *", "2025-06-30", "2025-06-30T23:59:00+02:00")]
    [InlineData("* * * * * *", "2025-06-30", "2025-06-30T23:59:59+02:00")]
    [InlineData("0 12 * * *", "2025-06-30 11:59:59", "2025-06-29T12:00:00+02:00")]
    [InlineData("@yearly", "2020-12-31", "2020-06-01T00:00:00+02:00")]
    public void Next_PastNotAfter_ReturnsNull(string cron, string notAfter, string after)
    {
        Assert.Null(CronPlanner.Next(ParseCron(cron), Window(notAfter: notAfter), Berlin, At(after)));
    }

    [Fact]
    public void Next_DateOnlyNotAfter_RunsThroughTheLastSecondOfThatDay()
    {
        var window = Window(notAfter: "2025-06-30");
        DateTimeOffset? last = CronPlanner.Next(ParseCron("* * * * * *"), window, Berlin, At("2025-06-30T23:59:58+02:00"));
        Assert.Equal(At("2025-06-30T23:59:59+02:00"), last);
    }

    [Fact]
    public void For_JobDefinition_TakesScheduleAndWindowWithDefaults()
    {
        var window = Window("2025-07-01", "2025-12-31");
        var job = new ProcessMaster.Core.Config.Model.RunMode.Job(ParseCron("@daily"), window.NotBefore, window.NotAfter, null);
        var policy = CronPolicy.For(job);
        Assert.Equal("@daily", policy.Schedule.Text);
        Assert.Equal(window, policy.Window);
        Assert.False(policy.CatchUp);
        Assert.Equal(TimeSpan.FromSeconds(5), policy.Grace);
        Assert.Equal(TimeSpan.FromHours(1), policy.BackwardStepLimit);
    }
}
