using ProcessMaster.Core.Cron;
using static ProcessMaster.Core.Tests.Cron.CronFixtures;

namespace ProcessMaster.Core.Tests.Cron;

/// <summary>The planner behind a one-timer shell on a fake monotonic clock, with a wall clock that can jump.</summary>
public class SimulatedShellTests
{
    private static readonly DateTimeOffset Start = At("2025-06-01T12:00:00.3+00:00");

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(1900)]
    public void EveryTwoSeconds_TimerOnTimeOrLate_FiresOnEvenSecondsOncePerOccurrence(int tickMs)
    {
        using var shell = new SimulatedShell(Start, Policy("*/2 * * * * *"), Utc);
        shell.Advance(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(tickMs));

        var fired = shell.Fired.ToList();
        Assert.All(fired, f => Assert.True(f.Second % 2 == 0 && f.Millisecond == 0, $"{f:O} is not an even second"));
        Assert.Equal(fired.Distinct().Count(), fired.Count);
        Assert.All(fired.Zip(fired.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(2), p.Second - p.First));
        Assert.All(shell.Decisions, d => Assert.IsNotType<CronDecision.Skip>(d));
        Assert.InRange(fired.Count, 29, 30);
        Assert.Equal(At("2025-06-01T12:00:02+00:00"), fired[0]);
    }

    [Fact]
    public void EveryTwoSeconds_StalledLoop_FiresTheLatestAndAccountsForEveryOccurrenceOnce()
    {
        using var shell = new SimulatedShell(Start, Policy("*/2 * * * * *"), Utc);
        shell.Advance(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(4700));

        int handled = 0;
        DateTimeOffset? previous = null;
        foreach (var d in shell.Decisions)
        {
            var (occurrence, missed) = d switch
            {
                CronDecision.Fire f => (f.Occurrence, f.Missed),
                CronDecision.Skip s => (s.Occurrence, s.Missed),
                _ => throw new InvalidOperationException($"unexpected {d}"),
            };
            Assert.Equal(0, occurrence.Second % 2);
            if (missed is { } m) Assert.Equal(previous?.AddSeconds(2) ?? m.First, m.First);
            Assert.True(previous is null || occurrence > previous);
            handled += 1 + (missed?.Count ?? 0);
            previous = occurrence;
        }

        Assert.IsType<CronDecision.Fire>(shell.Decisions[^1]);
        Assert.Equal((int)(previous!.Value - At("2025-06-01T12:00:00+00:00")).TotalSeconds / 2, handled);
    }

    [Fact]
    public void Suspend_ResumeDetected_MissedOccurrencesSkippedOnceThenOnSchedule()
    {
        using var shell = new SimulatedShell(At("2025-06-01T11:30:00+00:00"), Policy("0 * * * *"), Utc);
        shell.Advance(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1));
        shell.StepWall(TimeSpan.FromMinutes(190), detected: true);           // suspended 11:40 → 14:50 wall
        shell.Advance(TimeSpan.FromMinutes(80), TimeSpan.FromSeconds(1));    // until 16:10 wall

        Assert.Equal(new CronDecision.Skip(SkipReason.Missed, At("2025-06-01T14:00:00+00:00"),
            new OccurrenceRange(At("2025-06-01T12:00:00+00:00"), At("2025-06-01T13:00:00+00:00"), 2, false)), shell.Decisions[0]);
        Assert.Equal([At("2025-06-01T15:00:00+00:00"), At("2025-06-01T16:00:00+00:00")], shell.Fired);
        Assert.Equal(3, shell.Decisions.Count(d => d is not CronDecision.NotYet));
    }

    [Fact]
    public void Suspend_ResumeNotDetected_StaleTimerWakesLateAndThatOccurrenceIsMissedToo()
    {
        // The monotonic timer armed for 12:00 fires 20 monotonic minutes after the resume: 15:10 on the wall.
        using var shell = new SimulatedShell(At("2025-06-01T11:30:00+00:00"), Policy("0 * * * *"), Utc);
        shell.Advance(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1));
        shell.StepWall(TimeSpan.FromMinutes(190), detected: false);
        shell.Advance(TimeSpan.FromMinutes(80), TimeSpan.FromSeconds(1));

        Assert.Equal(new CronDecision.Skip(SkipReason.Missed, At("2025-06-01T15:00:00+00:00"),
            new OccurrenceRange(At("2025-06-01T12:00:00+00:00"), At("2025-06-01T14:00:00+00:00"), 3, false)), shell.Decisions[0]);
        Assert.Equal([At("2025-06-01T16:00:00+00:00")], shell.Fired);
    }

    [Fact]
    public void Suspend_WithCatchUp_OneCatchUpRunOnResume()
    {
        using var shell = new SimulatedShell(At("2025-06-01T11:30:00+00:00"), Policy("0 * * * *") with { CatchUp = true }, Utc);
        shell.StepWall(TimeSpan.FromMinutes(200), detected: true);            // wall 14:50
        shell.Advance(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));

        Assert.Equal([new CronDecision.Fire(At("2025-06-01T14:00:00+00:00"), true, new OccurrenceRange(
            At("2025-06-01T12:00:00+00:00"), At("2025-06-01T13:00:00+00:00"), 2, false))], shell.Decisions);
        Assert.Equal(At("2025-06-01T15:00:00+00:00"), shell.Due);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClockStepsBack_EveryMinute_NoOccurrenceRunsTwice(bool stepDetected)
    {
        using var shell = new SimulatedShell(Start, Policy("* * * * *"), Utc);
        shell.Advance(TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        shell.StepWall(TimeSpan.FromMinutes(-5), stepDetected);              // 12:10:00.3 → 12:05:00.3
        shell.Advance(TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));

        var fired = shell.Fired.ToList();
        var expected = Enumerable.Range(1, 15).Select(m => At("2025-06-01T12:00:00+00:00").AddMinutes(m)).ToList();
        Assert.Equal(expected, fired);
        Assert.All(shell.Decisions, d => Assert.IsNotType<CronDecision.Skip>(d));
    }

    [Theory]
    [InlineData(false, typeof(CronDecision.Skip))]
    [InlineData(true, typeof(CronDecision.Fire))]
    public void ClockStepsForwardOverAnOccurrence_MissedUnlessCatchUp(bool catchUp, Type expected)
    {
        using var shell = new SimulatedShell(At("2025-06-01T12:00:50+00:00"), Policy("* * * * *") with { CatchUp = catchUp }, Utc);
        shell.StepWall(TimeSpan.FromSeconds(30), detected: true);            // 12:00:50 → 12:01:20
        shell.Advance(TimeSpan.FromSeconds(50), TimeSpan.FromMilliseconds(250));

        Assert.IsType(expected, shell.Decisions[0]);
        Assert.Equal(At("2025-06-01T12:02:00+00:00"), Assert.IsType<CronDecision.Fire>(shell.Decisions[1]).Occurrence);
        Assert.Equal(2, shell.Decisions.Count);
    }

    [Fact]
    public void RunStillAlive_DueTicksAreOverlapSkipsAndTheScheduleResumes()
    {
        using var shell = new SimulatedShell(Start, Policy("*/10 * * * * *"), Utc);
        shell.Advance(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));  // 12:00:10 fires
        shell.RunInProgress = true;
        shell.Advance(TimeSpan.FromSeconds(25), TimeSpan.FromMilliseconds(100));  // 12:00:20, 12:00:30 overlap
        shell.RunInProgress = false;
        shell.Advance(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));  // 12:00:40 fires

        Assert.Equal(
        [
            new CronDecision.Fire(At("2025-06-01T12:00:10+00:00"), false, null),
            new CronDecision.Skip(SkipReason.Overlap, At("2025-06-01T12:00:20+00:00"), null),
            new CronDecision.Skip(SkipReason.Overlap, At("2025-06-01T12:00:30+00:00"), null),
            new CronDecision.Fire(At("2025-06-01T12:00:40+00:00"), false, null),
        ], shell.Decisions);
        Assert.Equal(At("2025-06-01T12:00:40+00:00"), shell.State.LastFired);
    }
}
