using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Cron;

namespace ProcessMaster.Core.Tests.Cron;

/// <summary>Cron timing on a fake clock: explicit instants and zones, no real time.</summary>
public sealed class CronPlannerTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static ServiceKind.Job Job(string schedule, string? notBefore = null, string? notAfter = null)
    {
        string yaml = $"process:\n  working_directory: /tmp\n  start_command: [\"/bin/true\"]\n  schedule: \"{schedule}\"\n" +
                      (notBefore is null ? "" : $"  not_before: \"{notBefore}\"\n") + (notAfter is null ? "" : $"  not_after: \"{notAfter}\"\n");
        ConfigResult<ServiceDefinition> result = ServiceDefinitionParser.Parse("/tmp/job.yaml", yaml, new ServiceParseContext(null, "root", "root"));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return (ServiceKind.Job)result.Value!.Kind;
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Next_EveryTwoSeconds_LandsOnEvenSecondsOncePerOccurrence()
    {
        ServiceKind.Job job = Job("*/2 * * * * *");
        DateTimeOffset t = Utc("2026-11-27T10:00:00.300");
        var fired = new List<DateTimeOffset>();
        DateTimeOffset? due = CronPlanner.Next(job, TimeZoneInfo.Utc, t);
        DateTimeOffset? last = null;
        for (int i = 0; i < 10; i++)
        {
            // The timer fires a little late, as timers do.
            DateTimeOffset now = due!.Value.AddMilliseconds(3);
            CronDecision decision = CronPlanner.OnTimer(job, TimeZoneInfo.Utc, due.Value, now, last);
            var fire = Assert.IsType<CronDecision.Fire>(decision);
            fired.Add(fire.Occurrence);
            last = fire.Occurrence;
            due = decision.Next;
        }
        Assert.All(fired, f => Assert.Equal(0, f.Second % 2));
        Assert.Equal(fired.Count, fired.Distinct().Count());
        Assert.Equal(Utc("2026-11-27T10:00:02"), fired[0]);
        Assert.Equal(Utc("2026-11-27T10:00:20"), fired[^1]);
    }

    [Fact]
    public void OnTimer_SameOccurrenceTwice_FiresOnce()
    {
        ServiceKind.Job job = Job("* * * * *");
        DateTimeOffset due = Utc("2026-11-27T10:01:00");
        var first = Assert.IsType<CronDecision.Fire>(CronPlanner.OnTimer(job, TimeZoneInfo.Utc, due, due.AddMilliseconds(5), null));
        // The clock is stepped back by a minute and the timer fires for the same occurrence again.
        CronDecision again = CronPlanner.OnTimer(job, TimeZoneInfo.Utc, due, due.AddMilliseconds(10), first.Occurrence);
        Assert.IsType<CronDecision.NotYet>(again);
        Assert.Equal(Utc("2026-11-27T10:02:00"), again.Next);
    }

    [Fact]
    public void OnTimer_ClockSteppedBack_WaitsForTheOccurrenceInsteadOfRunningEarly()
    {
        ServiceKind.Job job = Job("30 10 * * *");
        DateTimeOffset due = Utc("2026-11-27T10:30:00");
        CronDecision decision = CronPlanner.OnTimer(job, TimeZoneInfo.Utc, due, Utc("2026-11-27T09:30:00"), null);
        Assert.Equal(new CronDecision.NotYet(due), decision);
    }

    [Fact]
    public void OnTimer_ClockJumpedForward_SkipsAndCountsTheMissedOccurrences()
    {
        ServiceKind.Job job = Job("*/10 * * * *");
        DateTimeOffset due = Utc("2026-11-27T10:10:00");
        // Suspended for an hour: woke at 11:05.
        var missed = Assert.IsType<CronDecision.Missed>(CronPlanner.OnTimer(job, TimeZoneInfo.Utc, due, Utc("2026-11-27T11:05:00"), null));
        Assert.Equal(6, missed.Count); // 10:10, 10:20, ..., 11:00
        Assert.Equal(Utc("2026-11-27T11:10:00"), missed.Next);
    }

    [Fact]
    public void OnTimer_LateWithinGrace_StillRuns()
    {
        ServiceKind.Job job = Job("* * * * *");
        DateTimeOffset due = Utc("2026-11-27T10:01:00");
        Assert.IsType<CronDecision.Fire>(CronPlanner.OnTimer(job, TimeZoneInfo.Utc, due, due + CronPlanner.Grace, null));
        Assert.IsType<CronDecision.Missed>(CronPlanner.OnTimer(job, TimeZoneInfo.Utc, due, due + CronPlanner.Grace + TimeSpan.FromSeconds(1), null));
    }

    [Fact]
    public void Next_SpringForward_SkippedLocalTimeRunsOnceAtTheGapEnd()
    {
        // Berlin 2026-03-29: 02:00 local jumps to 03:00. A 02:30 job runs once that day, at 03:00 local (01:00 UTC).
        ServiceKind.Job job = Job("30 2 * * *");
        DateTimeOffset? next = CronPlanner.Next(job, Berlin, Utc("2026-03-28T12:00:00"));
        Assert.Equal(Utc("2026-03-29T01:00:00"), next);
        Assert.Equal(Utc("2026-03-30T00:30:00"), CronPlanner.Next(job, Berlin, next!.Value));
    }

    [Fact]
    public void Next_FallBack_RepeatedLocalTimeRunsOnce()
    {
        // Berlin 2026-10-25: 03:00 local goes back to 02:00; 02:30 happens twice. A daily 02:30 job runs once.
        ServiceKind.Job job = Job("30 2 * * *");
        DateTimeOffset first = CronPlanner.Next(job, Berlin, Utc("2026-10-24T12:00:00"))!.Value;
        DateTimeOffset second = CronPlanner.Next(job, Berlin, first)!.Value;
        Assert.Equal(Utc("2026-10-25T00:30:00"), first);   // 02:30 CEST
        Assert.Equal(Utc("2026-10-26T01:30:00"), second);  // next day 02:30 CET
    }

    [Fact]
    public void Next_HourlyAcrossFallBackInNewYork_RunsInBothRepeatedHours()
    {
        // New York 2026-11-01: 02:00 EDT goes back to 01:00 EST. An hourly job runs every real hour.
        ServiceKind.Job job = Job("0 * * * *");
        DateTimeOffset t = Utc("2026-11-01T04:30:00"); // 00:30 EDT
        var runs = new List<DateTimeOffset>();
        for (int i = 0; i < 4; i++) runs.Add((t = CronPlanner.Next(job, NewYork, t)!.Value));
        Assert.Equal([Utc("2026-11-01T05:00:00"), Utc("2026-11-01T06:00:00"), Utc("2026-11-01T07:00:00"), Utc("2026-11-01T08:00:00")], runs);
    }

    [Fact]
    public void Next_EndOfMonth_SkipsMonthsWithoutThatDay()
    {
        ServiceKind.Job job = Job("0 12 31 * *");
        DateTimeOffset t = Utc("2026-01-31T13:00:00");
        Assert.Equal(Utc("2026-03-31T12:00:00"), CronPlanner.Next(job, TimeZoneInfo.Utc, t));
    }

    [Fact]
    public void Next_Yearly_RunsAtNewYearMidnightLocal()
    {
        ServiceKind.Job job = Job("@yearly");
        Assert.Equal(Utc("2026-12-31T23:00:00"), CronPlanner.Next(job, Berlin, Utc("2026-06-01T00:00:00")));
    }

    [Fact]
    public void Next_SundayAsZeroOrSeven_SameDays()
    {
        DateTimeOffset t = Utc("2026-11-27T00:00:00"); // a Friday
        Assert.Equal(CronPlanner.Next(Job("0 3 * * 0"), TimeZoneInfo.Utc, t), CronPlanner.Next(Job("0 3 * * 7"), TimeZoneInfo.Utc, t));
        Assert.Equal(Utc("2026-11-29T03:00:00"), CronPlanner.Next(Job("0 3 * * SUN"), TimeZoneInfo.Utc, t));
    }

    [Fact]
    public void Next_NotAfterInThePast_NeverRuns()
    {
        Assert.Null(CronPlanner.Next(Job("* * * * *", notAfter: "2020-01-01"), TimeZoneInfo.Utc, Utc("2026-11-27T00:00:00")));
    }

    [Fact]
    public void Next_NotBeforeInTheFuture_NotBeforeThen()
    {
        ServiceKind.Job job = Job("*/5 * * * *", notBefore: "2027-01-01 08:02:00");
        Assert.Equal(Utc("2027-01-01T08:05:00"), CronPlanner.Next(job, TimeZoneInfo.Utc, Utc("2026-11-27T00:00:00")));
    }

    [Fact]
    public void Next_DateOnlyNotAfter_IsInclusiveToTheEndOfThatDay()
    {
        ServiceKind.Job job = Job("30 23 * * *", notAfter: "2026-11-28");
        Assert.Equal(Utc("2026-11-28T23:30:00"), CronPlanner.Next(job, TimeZoneInfo.Utc, Utc("2026-11-28T12:00:00")));
        Assert.Null(CronPlanner.Next(job, TimeZoneInfo.Utc, Utc("2026-11-28T23:30:00")));
    }
}
