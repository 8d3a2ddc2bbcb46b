using ProcessMaster.Daemon.Supervision;

namespace ProcessMaster.Daemon.Tests.Supervision;

/// <summary>The daemon's clock under wall-clock steps: what measures a duration (user-flag TTLs) follows the monotonic clock.</summary>
public sealed class DaemonClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(3600)]      // NTP jumps an hour forward
    [InlineData(-3600)]     // and an hour back
    [InlineData(-30)]
    public void SteadyWall_WallClockSteps_DoesNotMove(int stepSeconds)
    {
        var time = new SteppedTime(Start);
        var clock = new DaemonClock(time);
        time.Elapse(TimeSpan.FromSeconds(10));

        time.Step(TimeSpan.FromSeconds(stepSeconds));

        Assert.Equal(Start + TimeSpan.FromSeconds(10), clock.SteadyWall());
        Assert.Equal(Start + TimeSpan.FromSeconds(10 + stepSeconds), clock.Now().Wall);
    }

    [Fact]
    public void SteadyWall_TimePasses_AdvancesWithTheMonotonicClock()
    {
        var time = new SteppedTime(Start);
        var clock = new DaemonClock(time);
        TimeSpan mono = clock.Mono();

        time.Elapse(TimeSpan.FromMinutes(90));

        Assert.Equal(Start + TimeSpan.FromMinutes(90), clock.SteadyWall());
        Assert.Equal(mono + TimeSpan.FromMinutes(90), clock.Mono());
    }

    /// <summary>A clock whose wall time can be stepped apart from its monotonic time (a fake provider moves both together).</summary>
    private sealed class SteppedTime(DateTimeOffset wall) : TimeProvider
    {
        private DateTimeOffset _wall = wall;
        private long _ticks = TimeSpan.FromDays(3).Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => _wall;

        public override long GetTimestamp() => _ticks;

        public void Elapse(TimeSpan span)
        {
            _wall += span;
            _ticks += span.Ticks;
        }

        public void Step(TimeSpan span) => _wall += span;
    }
}
