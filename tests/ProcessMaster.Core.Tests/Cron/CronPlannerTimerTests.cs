using ProcessMaster.Core.Cron;
using static ProcessMaster.Core.Tests.Cron.CronFixtures;

namespace ProcessMaster.Core.Tests.Cron;

public class CronPlannerTimerTests
{
    private static readonly CronPolicy Hourly = Policy("0 * * * *");
    private static readonly DateTimeOffset T0 = At("2025-06-01T11:30:00+00:00");
    private static readonly DateTimeOffset Noon = At("2025-06-01T12:00:00+00:00");

    private static CronStep Tick(CronState state, CronPolicy policy, DateTimeOffset now, bool running = false) =>
        CronPlanner.OnTimer(state, policy, now, Utc, running);

    [Fact]
    public void OnTimer_BeforeTheOccurrence_NotYetAndArmsIt()
    {
        var step = Tick(CronPlanner.Begin(T0), Hourly, T0.AddMinutes(10));
        Assert.Equal(new CronDecision.NotYet(Noon), step.Decision);
        Assert.Equal(Noon, step.Due);
        Assert.Equal(CronPlanner.Begin(T0), step.State);
    }

    [Fact]
    public void Begin_OccurrenceAtTheSameInstant_IsNotRun()
    {
        var step = Tick(CronPlanner.Begin(Noon), Hourly, Noon);
        Assert.Equal(new CronDecision.NotYet(Noon.AddHours(1)), step.Decision);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4999)]
    [InlineData(5000)]
    public void OnTimer_LateWithinGrace_FiresOnce(int lateMs)
    {
        var step = Tick(CronPlanner.Begin(T0), Hourly, Noon.AddMilliseconds(lateMs));
        Assert.Equal(new CronDecision.Fire(Noon, false, null), step.Decision);
        Assert.Equal(new CronState(Noon, Noon), step.State);
        Assert.Equal(Noon.AddHours(1), step.Due);

        // The same wake again (a duplicate timer, a re-plan) does not fire it a second time.
        var again = Tick(step.State, Hourly, Noon.AddMilliseconds(lateMs));
        Assert.Equal(new CronDecision.NotYet(Noon.AddHours(1)), again.Decision);
    }

    [Theory]
    [InlineData(5001)]
    [InlineData(60_000)]
    [InlineData(3_599_000)]
    public void OnTimer_LaterThanGrace_SkipsAsMissed(int lateMs)
    {
        var step = Tick(CronPlanner.Begin(T0), Hourly, Noon.AddMilliseconds(lateMs));
        Assert.Equal(new CronDecision.Skip(SkipReason.Missed, Noon, null), step.Decision);
        Assert.Equal(new CronState(Noon, null), step.State);
        Assert.Equal(Noon.AddHours(1), step.Due);
    }

    [Fact]
    public void OnTimer_CustomGrace_IsHonoured()
    {
        var lenient = Hourly with { Grace = TimeSpan.FromMinutes(2) };
        Assert.IsType<CronDecision.Fire>(Tick(CronPlanner.Begin(T0), lenient, Noon.AddSeconds(90)).Decision);
        Assert.IsType<CronDecision.Skip>(Tick(CronPlanner.Begin(T0), lenient, Noon.AddSeconds(121)).Decision);
    }

    [Fact]
    public void OnTimer_RunInProgress_SkipsAsOverlapAndNeverRetriesIt()
    {
        var step = Tick(CronPlanner.Begin(T0), Hourly, Noon.AddMilliseconds(20), running: true);
        Assert.Equal(new CronDecision.Skip(SkipReason.Overlap, Noon, null), step.Decision);
        Assert.Equal(new CronState(Noon, null), step.State);

        // The run ends a minute later: the skipped occurrence does not come back.
        var after = Tick(step.State, Hourly, Noon.AddMinutes(1));
        Assert.Equal(new CronDecision.NotYet(Noon.AddHours(1)), after.Decision);
    }

    [Fact]
    public void OnTimer_ForwardJumpPastSeveralOccurrences_SkipsThemAllAndCountsThem()
    {
        // Suspended at 11:30, resumed at 16:20: 12:00 … 16:00 were missed.
        var step = Tick(CronPlanner.Begin(T0), Hourly, At("2025-06-01T16:20:00+00:00"));
        var missed = new OccurrenceRange(Noon, Noon.AddHours(3), 4, false);
        Assert.Equal(new CronDecision.Skip(SkipReason.Missed, Noon.AddHours(4), missed), step.Decision);
        Assert.Equal(Noon.AddHours(5), step.Due);
        Assert.Equal(5, missed.Count + 1);
    }

    [Fact]
    public void OnTimer_ForwardJumpLandingOnAnOccurrence_FiresItAndReportsTheEarlierOnes()
    {
        var everyMinute = Policy("* * * * *");
        var step = Tick(CronPlanner.Begin(At("2025-06-01T12:00:30+00:00")), everyMinute, At("2025-06-01T12:10:02+00:00"));
        var missed = new OccurrenceRange(At("2025-06-01T12:01:00+00:00"), At("2025-06-01T12:09:00+00:00"), 9, false);
        Assert.Equal(new CronDecision.Fire(At("2025-06-01T12:10:00+00:00"), false, missed), step.Decision);
    }

    [Fact]
    public void OnTimer_CatchUp_RunsExactlyOneRunForTheLatestMissed()
    {
        var catchUp = Hourly with { CatchUp = true };
        var resumed = At("2025-06-01T16:20:00+00:00");
        var step = Tick(CronPlanner.Begin(T0), catchUp, resumed);
        var missed = new OccurrenceRange(Noon, Noon.AddHours(3), 4, false);
        Assert.Equal(new CronDecision.Fire(Noon.AddHours(4), true, missed), step.Decision);
        Assert.Equal(Noon.AddHours(4), step.State.LastFired);

        var again = Tick(step.State, catchUp, resumed.AddSeconds(1));
        Assert.Equal(new CronDecision.NotYet(Noon.AddHours(5)), again.Decision);
    }

    [Fact]
    public void OnTimer_CatchUpWhileRunning_SkipsAsOverlap()
    {
        var step = Tick(CronPlanner.Begin(T0), Hourly with { CatchUp = true }, Noon.AddMinutes(30), running: true);
        Assert.Equal(new CronDecision.Skip(SkipReason.Overlap, Noon, null), step.Decision);
    }

    [Fact]
    public void OnTimer_CatchUpAfterNotAfter_SkipsAsMissedAndFinishes()
    {
        var policy = Policy("0 * * * *", notAfter: "2025-06-01 12:30:00") with { CatchUp = true };
        var step = CronPlanner.OnTimer(CronPlanner.Begin(T0), policy, At("2025-06-01T13:10:00+00:00"), Utc, false);
        Assert.Equal(new CronDecision.Skip(SkipReason.Missed, Noon, null), step.Decision);
        Assert.Null(step.Due);
        Assert.IsType<CronDecision.Finished>(CronPlanner.OnTimer(step.State, policy, At("2025-06-01T13:10:01+00:00"), Utc, false).Decision);
    }

    [Fact]
    public void OnTimer_ClockStepsBackWithinLimit_NeverFiresAnOccurrenceTwice()
    {
        var fired = Tick(CronPlanner.Begin(T0), Hourly, Noon);
        Assert.IsType<CronDecision.Fire>(fired.Decision);

        // NTP steps the clock back 40 minutes, to 11:20; the wall clock then passes 12:00 again.
        foreach (var now in new[] { "11:20:00", "11:59:59", "12:00:00", "12:00:03", "12:59:59" })
        {
            var step = Tick(fired.State, Hourly, At($"2025-06-01T{now}+00:00"));
            Assert.Equal(new CronDecision.NotYet(Noon.AddHours(1)), step.Decision);
            Assert.Equal(fired.State, step.State);
        }

        Assert.Equal(new CronDecision.Fire(Noon.AddHours(1), false, null), Tick(fired.State, Hourly, Noon.AddHours(1)).Decision);
    }

    [Fact]
    public void OnTimer_ClockStepsBackBeyondLimit_RestartsFromTheNewTime()
    {
        // Booted with the RTC five years ahead; NTP then corrects it.
        var wrong = At("2030-06-01T11:30:00+00:00");
        var fired = Tick(CronPlanner.Begin(wrong), Hourly, wrong.AddMinutes(30));
        Assert.IsType<CronDecision.Fire>(fired.Decision);

        var corrected = Tick(fired.State, Hourly, T0);
        Assert.Equal(new CronDecision.NotYet(Noon), corrected.Decision);
        Assert.Equal(T0, corrected.State.HandledUpTo);
        Assert.Equal(new CronDecision.Fire(Noon, false, null), Tick(corrected.State, Hourly, Noon).Decision);
    }

    [Fact]
    public void OnTimer_NotAfterInThePast_FinishedAndNeverRuns()
    {
        var policy = Policy("* * * * * *", notAfter: "2025-05-31");
        var state = CronPlanner.Begin(T0);
        for (int s = 0; s < 120; s += 7)
        {
            var step = CronPlanner.OnTimer(state, policy, T0.AddSeconds(s), Utc, false);
            Assert.IsType<CronDecision.Finished>(step.Decision);
            Assert.Null(step.Due);
            state = step.State;
        }
    }

    [Fact]
    public void OnTimer_NotBeforeInTheFuture_NothingRunsBeforeIt()
    {
        var policy = Policy("*/10 * * * *", notBefore: "2025-06-01 14:05:00");
        var notBefore = At("2025-06-01T14:05:00+00:00");
        var decisions = Timeline.Run(policy, Utc, T0, At("2025-06-01T15:00:00+00:00"));
        var fired = Timeline.Fired(decisions);
        Assert.Equal(At("2025-06-01T14:10:00+00:00"), fired[0]);
        Assert.All(fired, f => Assert.True(f >= notBefore));
        Assert.Equal(6, fired.Count);
        Assert.Equal(new CronDecision.NotYet(At("2025-06-01T14:10:00+00:00")), Tick(CronPlanner.Begin(T0), policy, T0).Decision);
    }

    [Fact]
    public void OnTimer_LastOccurrenceInWindow_FiresThenFinishes()
    {
        var policy = Policy("0 12 * * *", notAfter: "2025-06-02");
        var step = Tick(CronPlanner.Begin(T0), policy, Noon);
        Assert.IsType<CronDecision.Fire>(step.Decision);
        Assert.Equal(Noon.AddDays(1), step.Due);

        var last = Tick(step.State, policy, Noon.AddDays(1));
        Assert.Equal(new CronDecision.Fire(Noon.AddDays(1), false, null), last.Decision);
        Assert.Null(last.Due);
        Assert.IsType<CronDecision.Finished>(Tick(last.State, policy, Noon.AddDays(2)).Decision);
    }

    [Fact]
    public void OnTimer_PerSecondJobAfterLongDowntime_CountStopsAtTheCapButLastIsExact()
    {
        var everySecond = Policy("* * * * * *");
        var step = Tick(CronPlanner.Begin(T0), everySecond, T0.AddDays(3).AddMilliseconds(400));
        var fire = Assert.IsType<CronDecision.Fire>(step.Decision);
        Assert.Equal(T0.AddDays(3), fire.Occurrence);
        Assert.Equal(new OccurrenceRange(T0.AddSeconds(1), T0.AddDays(3).AddSeconds(-1), CronPlanner.MaxCountedOccurrences, true), fire.Missed);
    }

    [Fact]
    public void Replan_AfterAForwardStep_DueHasPassedAndNothingIsDecided()
    {
        var state = CronPlanner.Begin(T0);
        var step = CronPlanner.Replan(state, Hourly, Noon.AddMinutes(5), Utc);
        Assert.Equal(new CronDecision.NotYet(Noon), step.Decision);
        Assert.Equal(Noon, step.Due);
        Assert.Equal(state, step.State);
    }

    [Fact]
    public void Replan_AfterABackwardStep_KeepsProgressUnlessBeyondTheLimit()
    {
        var fired = Tick(CronPlanner.Begin(T0), Hourly, Noon).State;
        Assert.Equal(Noon.AddHours(1), CronPlanner.Replan(fired, Hourly, Noon.AddMinutes(-30), Utc).Due);

        // Back by more than BackwardStepLimit (1 h): the plan restarts from the new time (09:30).
        var rebased = CronPlanner.Replan(fired, Hourly, At("2025-06-01T09:30:00+00:00"), Utc);
        Assert.Equal(At("2025-06-01T10:00:00+00:00"), rebased.Due);
        Assert.Equal(At("2025-06-01T09:30:00+00:00"), rebased.State.HandledUpTo);
    }

    [Fact]
    public void Replan_NewScheduleOnReload_KeepsProgress()
    {
        var fired = Tick(CronPlanner.Begin(T0), Hourly, Noon).State;
        var step = CronPlanner.Replan(fired, Policy("*/15 * * * *"), Noon.AddMinutes(1), Utc);
        Assert.Equal(Noon.AddMinutes(15), step.Due);
    }

    [Fact]
    public void Replan_PastNotAfter_Finished()
    {
        var step = CronPlanner.Replan(CronPlanner.Begin(T0), Policy("@daily", notAfter: "2025-05-31"), T0, Utc);
        Assert.Equal(new CronStep(CronPlanner.Begin(T0), new CronDecision.Finished(), null), step);
    }
}
