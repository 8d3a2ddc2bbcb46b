using Microsoft.Extensions.Time.Testing;
using ProcessMaster.Daemon.Web;

namespace ProcessMaster.Daemon.Tests.Web;

/// <summary>The console's open-connection count and its idle timer, on a fake clock.</summary>
public sealed class ConsoleActivityTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(2);

    [Fact]
    public void IdleReached_OnlyAfterTheLastConnectionClosed_AndTheWholePeriod()
    {
        var time = new FakeTimeProvider();
        int fired = 0;
        using var activity = new ConsoleActivity(time, Idle, () => fired++);
        activity.Opened();
        activity.Opened();
        time.Advance(Idle * 3);
        activity.Closed();
        time.Advance(Idle * 3);
        Assert.Equal(0, fired); // one connection is still open
        Assert.False(activity.IsIdle);

        activity.Closed();
        Assert.True(activity.IsIdle);
        time.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.Equal(0, fired);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);
        time.Advance(Idle * 3);
        Assert.Equal(1, fired); // one shot: nothing wakes while the server is stopped
    }

    [Fact]
    public void AConnectionBeforeTheIdlePeriodEnds_DisarmsTheTimer()
    {
        var time = new FakeTimeProvider();
        int fired = 0;
        using var activity = new ConsoleActivity(time, Idle, () => fired++);
        activity.Opened();
        activity.Closed();
        time.Advance(Idle / 2);
        activity.Opened();
        time.Advance(Idle * 2);
        Assert.Equal(0, fired);
        activity.Closed();
        time.Advance(Idle);
        Assert.Equal(1, fired);
    }

    [Fact]
    public void IdleStopNever_NeverFires()
    {
        var time = new FakeTimeProvider();
        int fired = 0;
        using var activity = new ConsoleActivity(time, idle: null, () => fired++);
        activity.Opened();
        activity.Closed();
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, fired);
    }
}
