using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Tests.Restart;

public class RestartDecisionTests
{
    private static readonly Moment T0 = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1));
    private static readonly RestartPolicy ThreePerMinute = new(RestartMode.Always, TimeSpan.FromMilliseconds(1500), 3, TimeSpan.FromMinutes(1));

    private static RestartHistory Crashes(params double[] secondsAfterT0) =>
        secondsAfterT0.Aggregate(RestartHistory.Empty, (h, s) => h.Record(T0.Add(TimeSpan.FromSeconds(s)), TimeSpan.FromMinutes(1)));

    [Fact]
    public void After_WithinTolerance_BacksOffByTheConfiguredDelay()
    {
        var now = T0.Add(TimeSpan.FromSeconds(20));
        var decision = RestartDecision.After(Crashes(0, 10, 20), now, ThreePerMinute);
        var backoff = Assert.IsType<RestartDecision.Backoff>(decision);
        Assert.Equal(now.Add(TimeSpan.FromMilliseconds(1500)), backoff.Until);
        Assert.Equal(3, backoff.Attempt);
        Assert.Equal(3, backoff.MaxRestarts);
    }

    [Fact]
    public void After_FourthCrashWithinWindow_Fails()
    {
        var decision = RestartDecision.After(Crashes(0, 10, 20, 30), T0.Add(TimeSpan.FromSeconds(30)), ThreePerMinute);
        var failed = Assert.IsType<RestartDecision.Failed>(decision);
        Assert.Equal("4 crashes within 1m exceed restart_policy.tolerance.max_restarts (3); not restarting until started by hand", failed.Reason);
    }

    [Fact]
    public void After_OldCrashesOutsideWindow_DoNotCount()
    {
        // 0 s is exactly 60 s old at 60 s (still counts); at 60.001 s it has left the window.
        Assert.IsType<RestartDecision.Failed>(RestartDecision.After(Crashes(0, 10, 20, 60), T0.Add(TimeSpan.FromSeconds(60)), ThreePerMinute));
        Assert.IsType<RestartDecision.Backoff>(RestartDecision.After(Crashes(0, 10, 20, 60.001), T0.Add(TimeSpan.FromSeconds(60.001)), ThreePerMinute));
    }

    [Fact]
    public void After_Never_NoRestart()
    {
        Assert.IsType<RestartDecision.NoRestart>(RestartDecision.After(Crashes(0), T0, RestartPolicy.Never));
    }

    [Fact]
    public void After_ZeroTolerance_FailsOnFirstCrash()
    {
        var policy = ThreePerMinute with { MaxRestarts = 0 };
        Assert.IsType<RestartDecision.Failed>(RestartDecision.After(Crashes(0), T0, policy));
    }

    [Fact]
    public void Default_MatchesTheOriginal()
    {
        Assert.Equal(new RestartPolicy(RestartMode.Always, TimeSpan.FromSeconds(1), 3, TimeSpan.FromMinutes(3)), RestartPolicy.Default);
    }
}
