using ProcessMaster.Core.Lifecycle;
using static ProcessMaster.Core.Tests.Lifecycle.Fixtures;

namespace ProcessMaster.Core.Tests.Lifecycle;

/// <summary>A stop that waits out a long grace period can be cut short: a second operator stop, or <c>stop --force</c>.</summary>
public class StopEscalationTests
{
    private static readonly ServicePolicy LongGrace = ServicePolicy.Default with { StopGrace = TimeSpan.FromHours(1) };

    [Fact]
    public void SecondOperatorStop_WhileStopping_KillsTheCgroupNow()
    {
        var app = new Supervised(LongGrace) { HonoursStopSignal = false }.Feed(Op.Start).Feed(Op.Stop);
        Assert.Equal(ServiceState.Stopping, app.State);
        Assert.Empty(app.Effects.OfType<KillCgroup>());

        app.Feed(Op.Stop);
        Assert.Single(app.Effects.OfType<KillCgroup>());
        Assert.Equal(ServiceState.Stopped, app.State);
        Assert.Equal(Desired.Down, app.Runtime.Desired);
    }

    [Fact]
    public void ForcedStop_OfARunningService_KillsWithoutTheStopSignal()
    {
        var app = new Supervised(LongGrace) { HonoursStopSignal = false }.Feed(Op.Start);
        app.Feed(new StopRequested(Requester.Operator, Force: true));
        Assert.Empty(app.Effects.OfType<SendSignal>());
        Assert.Single(app.Effects.OfType<KillCgroup>());
        Assert.Equal(ServiceState.Stopped, app.State);
    }

    [Fact]
    public void SystemStop_WhileStopping_KeepsWaitingOutTheGracePeriod()
    {
        var app = new Supervised(LongGrace) { HonoursStopSignal = false }.Feed(Op.Start).Feed(Op.Stop);
        app.Feed(new StopRequested(Requester.System));
        Assert.Equal(ServiceState.Stopping, app.State);
        Assert.Empty(app.Effects.OfType<KillCgroup>());
    }
}
