using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;
using static ProcessMaster.Core.Tests.Lifecycle.Fixtures;

namespace ProcessMaster.Core.Tests.Lifecycle;

/// <summary>
/// The start timeout counts from the spawn's issue (the shell's bounded spawn queue), not from entering Starting: a
/// `start all` of 1000 services puts every one in Starting at once, and the wait in the queue is not its spawn's fault.
/// Fake clock: every Moment is built from <see cref="Fixtures.T0"/>.
/// </summary>
public class StartTimeoutTests
{
    private static readonly ServicePolicy Policy = ServicePolicy.Default;

    [Fact]
    public void Queued_LongerThanTheStartTimeout_StaysStartingWithoutDeadline()
    {
        ServiceRuntime s = Decide(ServiceRuntime.New(ServiceKind.Service, T0), Op.Start, T0);
        Assert.Equal(ServiceState.Starting, s.State);
        Assert.Null(s.Deadline);

        // An hour in the queue: a stray timer finds no deadline and changes nothing.
        Transition late = ServiceLifecycle.Decide(s, new DeadlineReached(), T0.Add(TimeSpan.FromHours(1)), Policy);
        Assert.Equal(ServiceState.Starting, late.Next.State);
        Assert.Empty(late.Effects);
    }

    [Fact]
    public void Issued_AfterAQueueWait_DeadlineCountsFromTheIssue()
    {
        Moment issued = T0.Add(TimeSpan.FromMinutes(3));
        ServiceRuntime s = Decide(Decide(ServiceRuntime.New(ServiceKind.Service, T0), Op.Start, T0), new SpawnIssued(), issued);

        Assert.Equal(issued, s.SpawnIssuedAt);
        Assert.Equal(issued.Mono + Policy.StartTimeout, s.Deadline);
        // Just before: nothing; at the deadline: the spawn did not report, into the restart policy.
        Assert.Equal(ServiceState.Starting, Decide(s, new DeadlineReached(), issued.Add(Policy.StartTimeout - TimeSpan.FromMilliseconds(1))).State);
        ServiceRuntime expired = Decide(s, new DeadlineReached(), issued.Add(Policy.StartTimeout));
        Assert.Equal(ServiceState.Backoff, expired.State);
        Assert.Contains("did not report within", expired.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void IssuedTwice_TheFirstIssueCounts()
    {
        ServiceRuntime s = Decide(Decide(ServiceRuntime.New(ServiceKind.Service, T0), Op.Start, T0), new SpawnIssued(), T0);
        ServiceRuntime again = Decide(s, new SpawnIssued(), T0.Add(TimeSpan.FromSeconds(5)));
        Assert.Equal(T0.Mono + Policy.StartTimeout, again.Deadline);
    }

    [Fact]
    public void NextStart_WaitsInTheQueueAgain_WithoutTheOldIssue()
    {
        ServiceRuntime running = Decide(Decide(Decide(ServiceRuntime.New(ServiceKind.Service, T0), Op.Start, T0), new SpawnIssued(), T0), new Spawned(MainPid), T0);
        ServiceRuntime crashed = Decide(Decide(running, new MainExited(MainPid, ExitStatus.Exited(1)), T0), new CgroupEmptied(), T0);
        Assert.Equal(ServiceState.Backoff, crashed.State);
        ServiceRuntime restarting = Decide(crashed, new DeadlineReached(), T0.Add(TimeSpan.FromHours(1)));
        Assert.Equal(ServiceState.Starting, restarting.State);
        Assert.Null(restarting.SpawnIssuedAt);
        Assert.Null(restarting.Deadline);
    }

    [Fact]
    public void SpawnIssued_OutsideStarting_ChangesNothing()
    {
        ServiceRuntime stopped = ServiceRuntime.New(ServiceKind.Service, T0);
        Transition t = ServiceLifecycle.Decide(stopped, new SpawnIssued(), T0, Policy);
        Assert.Equal(stopped, t.Next);
        Assert.Empty(t.Effects);
    }

    private static ServiceRuntime Decide(ServiceRuntime s, ServiceInput input, Moment now) => ServiceLifecycle.Decide(s, input, now, Policy).Next;
}
