using Microsoft.Extensions.Time.Testing;
using ProcessMaster.Daemon.Supervision;

namespace ProcessMaster.Daemon.Tests.Supervision;

/// <summary>The daemon's one deadline timer, on a fake clock: far deadlines never reach a .NET timer raw.</summary>
public sealed class DeadlineScheduleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private readonly List<string> _fired = [];
    private readonly DaemonClock _clock;
    private readonly DeadlineSchedule _schedule;
    private int _wakeups;

    public DeadlineScheduleTests()
    {
        _clock = new DaemonClock(_time);
        _schedule = new DeadlineSchedule(_clock, () =>
        {
            _wakeups++;
            _fired.AddRange(_schedule!.Due(_clock.Mono()));
        });
    }

    [Theory]
    [InlineData(50)]      // just past the 2^32-2 ms a .NET timer accepts
    [InlineData(60)]      // a 60-day flag TTL
    [InlineData(365)]     // a yearly cron job
    [InlineData(27000)]   // not_before in 2099
    public void Set_DeadlineBeyondTimerRange_FiresExactlyWhenDue(int days)
    {
        TimeSpan due = _clock.Mono() + TimeSpan.FromDays(days);

        _schedule.Set("far", due);
        _time.Advance(TimeSpan.FromDays(days) - TimeSpan.FromMinutes(1));

        Assert.Empty(_fired);
        Assert.Equal(1, _schedule.Count);

        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(["far"], _fired);
        Assert.Equal(0, _schedule.Count);
    }

    [Fact]
    public void Set_NearDeadlineAfterFarOne_FiresTheNearOneFirst()
    {
        _schedule.Set("far", _clock.Mono() + TimeSpan.FromDays(400));
        _time.Advance(TimeSpan.FromDays(3));
        _schedule.Set("near", _clock.Mono() + TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(["near"], _fired);
        Assert.Equal(1, _schedule.Count);
    }

    [Fact]
    public void Set_FarDeadline_WakesAtMostOncePerMaxTimerDelay()
    {
        _schedule.Set("far", _clock.Mono() + TimeSpan.FromDays(2));

        _time.Advance(TimeSpan.FromDays(1));

        Assert.InRange(_wakeups, 1, (int)(TimeSpan.FromDays(1) / DeadlineSchedule.MaxTimerDelay));
        Assert.Empty(_fired);
    }

    [Fact]
    public void Set_Null_ClearsTheDeadline()
    {
        _schedule.Set("k", _clock.Mono() + TimeSpan.FromSeconds(1));
        _schedule.Set("k", null);

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Empty(_fired);
        Assert.Equal(0, _wakeups);
    }
}
