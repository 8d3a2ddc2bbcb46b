using ProcessMaster.Core.Lifecycle;
using static ProcessMaster.Core.Tests.Lifecycle.Fixtures;

namespace ProcessMaster.Core.Tests.Lifecycle;

public class LifecycleTransitionTests
{
    /// <summary>
    /// One row per transition: runtime (built by real transitions), policy, input → next state and the
    /// non-Publish effects ("Refused" marks a published refusal). DeadlineReached fires at the deadline;
    /// "DeadlineEarly" is a stale timer one millisecond before it.
    /// </summary>
    [Theory]
    // Stopped (service)
    [InlineData("Stopped", "service", "Start(Op)", ServiceState.Starting, "Spawn")]
    [InlineData("Stopped", "service", "Start(Sys)", ServiceState.Starting, "Spawn")]
    [InlineData("Stopped", "service", "Start(Sched)", ServiceState.Stopped, "Refused")]
    [InlineData("Stopped/down", "service", "Start(Sys)", ServiceState.Stopped, "Refused")]
    [InlineData("Stopped/down", "service", "Start(Op)", ServiceState.Starting, "Spawn")]
    [InlineData("Stopped", "disabled", "Start(Op)", ServiceState.Stopped, "Refused")]
    [InlineData("Stopped", "disabled", "Start(Op,force)", ServiceState.Starting, "Spawn")]
    [InlineData("Stopped", "disabled", "Start(Sys)", ServiceState.Stopped, "Refused")]
    [InlineData("Stopped", "service", "Stop(Op)", ServiceState.Stopped, "")]
    [InlineData("Stopped", "service", "Restart(Op)", ServiceState.Starting, "Spawn")]
    [InlineData("Stopped", "service", "CgroupPopulated", ServiceState.Running, "")]
    [InlineData("Stopped/down", "service", "CgroupPopulated", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Stopped", "disabled", "Adopted", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Stopped", "service", "Adopted", ServiceState.Running, "")]
    [InlineData("Stopped", "service", "CgroupEmptied", ServiceState.Stopped, "")]
    [InlineData("Stopped", "service", "DeadlineReached", ServiceState.Stopped, "")]
    [InlineData("Stopped", "service", "Reload(Modified)", ServiceState.Starting, "Spawn")]
    [InlineData("Stopped/down", "service", "Reload(Modified)", ServiceState.Stopped, "")]
    [InlineData("Stopped", "service", "Removed", ServiceState.Stopped, "")]
    // Starting
    [InlineData("Starting", "service", "Spawned", ServiceState.Running, "")]
    [InlineData("Starting", "service", "SpawnFailed", ServiceState.Backoff, "")]
    [InlineData("Starting", "never", "SpawnFailed", ServiceState.Failed, "")]
    [InlineData("Starting", "service", "DeadlineReached", ServiceState.Backoff, "")]
    [InlineData("Starting", "service", "DeadlineEarly", ServiceState.Starting, "")]
    [InlineData("Starting", "service", "Stop(Op)", ServiceState.Starting, "")]
    [InlineData("Starting", "service", "Start(Op)", ServiceState.Starting, "")]
    [InlineData("Starting", "service", "Restart(Op)", ServiceState.Starting, "")]
    [InlineData("Starting", "service", "CgroupEmptied", ServiceState.Starting, "")]
    [InlineData("Starting", "service", "CgroupPopulated", ServiceState.Starting, "")]
    [InlineData("Starting", "service", "Adopted", ServiceState.Running, "")]
    [InlineData("Starting", "service", "Adopted(empty)", ServiceState.Starting, "Spawn")]   // the last daemon died mid-spawn
    [InlineData("Starting/stop-pending", "service", "Adopted(empty)", ServiceState.Stopped, "")]
    [InlineData("Starting", "service", "Removed", ServiceState.Starting, "")]
    [InlineData("Starting/stop-pending", "service", "Spawned", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Starting/stop-pending", "service", "SpawnFailed", ServiceState.Stopped, "")]
    [InlineData("Starting/stop-pending", "service", "Start(Op)", ServiceState.Starting, "")]
    // Running
    [InlineData("Running", "service", "Stop(Op)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Running", "stopcmd", "Stop(Op)", ServiceState.Stopping, "RunStopCommand")]
    [InlineData("Running", "service", "Stop(Sys)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Running", "service", "Restart(Op)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Running", "disabled", "Restart(Op)", ServiceState.Running, "Refused")]
    [InlineData("Running", "service", "Start(Op)", ServiceState.Running, "")]
    [InlineData("Running", "service", "MainExited(0)", ServiceState.Running, "")]
    [InlineData("Running", "service", "MainExited(1)", ServiceState.Running, "")]
    [InlineData("Running", "service", "CgroupEmptied", ServiceState.Backoff, "")]
    [InlineData("Running/main-exited", "never", "CgroupEmptied", ServiceState.Stopped, "")]
    [InlineData("Running", "never", "CgroupEmptied", ServiceState.Failed, "")]
    [InlineData("Running", "service", "DeadlineReached", ServiceState.Running, "")]
    [InlineData("Running", "service", "Spawned", ServiceState.Running, "")]
    [InlineData("Running", "service", "Reload(Modified)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Running", "service", "Reload(Unchanged)", ServiceState.Running, "")]
    [InlineData("Running", "disabled", "Reload(Modified)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Running", "service", "Removed", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Running", "service", "StopCommandFinished(3)", ServiceState.Running, "")]
    // Stopping / Killing
    [InlineData("Stopping", "service", "DeadlineReached", ServiceState.Killing, "KillCgroup")]
    [InlineData("Stopping", "service", "DeadlineEarly", ServiceState.Stopping, "")]
    [InlineData("Stopping", "service", "CgroupEmptied", ServiceState.Stopped, "")]
    [InlineData("Stopping", "service", "MainExited(1)", ServiceState.Stopping, "")]
    [InlineData("Stopping", "service", "Start(Op)", ServiceState.Stopping, "")]
    [InlineData("Stopping", "service", "Start(Sys)", ServiceState.Stopping, "Refused")]
    [InlineData("Stopping", "service", "Stop(Op)", ServiceState.Killing, "KillCgroup")]   // a second operator stop escalates
    [InlineData("Stopping", "stopcmd", "StopCommandFinished(0)", ServiceState.Stopping, "")]
    [InlineData("Stopping", "stopcmd", "StopCommandFinished(3)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Stopping", "stopcmd", "StopCommandFinished(err)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("Stopping", "service", "CgroupPopulated", ServiceState.Stopping, "")]
    [InlineData("Stopping", "service", "Adopted", ServiceState.Stopping, "")]
    [InlineData("Stopping/start-pending", "service", "CgroupEmptied", ServiceState.Starting, "Spawn")]
    [InlineData("Stopping/start-pending", "service", "Stop(Op)", ServiceState.Killing, "KillCgroup")]
    [InlineData("Killing", "service", "CgroupEmptied", ServiceState.Stopped, "")]
    [InlineData("Killing", "service", "DeadlineReached", ServiceState.Killing, "")]
    [InlineData("Killing", "service", "Restart(Op)", ServiceState.Killing, "")]
    // Backoff
    [InlineData("Backoff", "service", "DeadlineReached", ServiceState.Starting, "Spawn")]
    [InlineData("Backoff", "service", "DeadlineEarly", ServiceState.Backoff, "")]
    [InlineData("Backoff", "service", "Stop(Op)", ServiceState.Stopped, "")]
    [InlineData("Backoff", "service", "Stop(Sys)", ServiceState.Stopped, "")]
    [InlineData("Backoff", "service", "Start(Op)", ServiceState.Starting, "Spawn")]
    [InlineData("Backoff", "service", "Start(Sys)", ServiceState.Backoff, "")]
    [InlineData("Backoff", "service", "Restart(Op)", ServiceState.Starting, "Spawn")]
    [InlineData("Backoff", "service", "CgroupPopulated", ServiceState.Running, "")]
    [InlineData("Backoff", "service", "CgroupEmptied", ServiceState.Backoff, "")]
    [InlineData("Backoff", "service", "Reload(Modified)", ServiceState.Starting, "Spawn")]
    [InlineData("Backoff", "disabled", "Reload(Modified)", ServiceState.Stopped, "")]
    [InlineData("Backoff", "service", "Removed", ServiceState.Stopped, "")]
    // Failed
    [InlineData("Failed", "service", "Start(Op)", ServiceState.Starting, "Spawn")]
    [InlineData("Failed", "service", "Start(Sys)", ServiceState.Failed, "Refused")]
    [InlineData("Failed", "service", "Restart(Sys)", ServiceState.Failed, "Refused")]
    [InlineData("Failed", "service", "Stop(Op)", ServiceState.Stopped, "")]
    [InlineData("Failed", "service", "Stop(Sys)", ServiceState.Failed, "")]
    [InlineData("Failed", "service", "DeadlineReached", ServiceState.Failed, "")]
    [InlineData("Failed", "service", "Reload(Unchanged)", ServiceState.Failed, "")]
    [InlineData("Failed", "service", "Reload(Modified)", ServiceState.Starting, "Spawn")]
    [InlineData("Failed", "service", "CgroupPopulated", ServiceState.Running, "")]
    // Jobs
    [InlineData("Idle", "job", "Start(Sched)", ServiceState.Starting, "Spawn")]
    [InlineData("Idle", "job", "Start(Op)", ServiceState.Starting, "Spawn")]
    [InlineData("Idle", "job", "Start(Sys)", ServiceState.Idle, "Refused")]
    [InlineData("Idle", "job-disabled", "Start(Sched)", ServiceState.Idle, "Refused")]
    [InlineData("Idle", "job-disabled", "Start(Op,force)", ServiceState.Starting, "Spawn")]
    [InlineData("Idle", "job", "Stop(Op)", ServiceState.Idle, "")]
    [InlineData("Idle", "job", "CgroupPopulated", ServiceState.Running, "")]
    [InlineData("JobStarting", "job", "SpawnFailed", ServiceState.Idle, "RecordRun")]
    [InlineData("JobStarting", "job", "Start(Sched)", ServiceState.Starting, "Refused")]
    [InlineData("JobStarting", "job", "Adopted(empty)", ServiceState.Starting, "Spawn")]   // a run caught mid-spawn still runs
    [InlineData("JobRunning", "job", "Start(Sched)", ServiceState.Running, "Refused")]
    [InlineData("JobRunning", "job", "MainExited(0)", ServiceState.Running, "")]
    [InlineData("JobRunning", "job", "CgroupEmptied", ServiceState.Idle, "RecordRun")]
    [InlineData("JobRunning", "job-ot", "DeadlineReached", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("JobRunning", "job", "Stop(Op)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("JobRunning", "job", "Restart(Op)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("JobRunning", "job", "Reload(Modified)", ServiceState.Running, "")]
    [InlineData("JobRunning", "job-disabled", "Reload(Modified)", ServiceState.Stopping, "SendSignal(15)")]
    [InlineData("JobStopping", "job", "CgroupEmptied", ServiceState.Idle, "RecordRun")]
    [InlineData("JobStopping", "job", "Start(Sched)", ServiceState.Stopping, "Refused")]
    [InlineData("JobStopping", "job", "DeadlineReached", ServiceState.Killing, "KillCgroup")]
    [InlineData("JobKilling", "job", "CgroupEmptied", ServiceState.Idle, "RecordRun")]
    public void Decide_Row_GivesStateAndEffects(string runtime, string policy, string input, ServiceState expected, string effects)
    {
        var p = Policies[policy];
        var (s, now) = Build(runtime, p.Enabled ? p : null);
        ServiceInput command;
        if (input == "DeadlineEarly")
        {
            command = new DeadlineReached();
            now = now.Add(s.Deadline!.Value - now.Mono - TimeSpan.FromMilliseconds(1));
        }
        else
        {
            command = Inputs[input];
            now = now.Add(TimeSpan.FromMilliseconds(1));
            if (command is DeadlineReached && s.Deadline is { } due && due > now.Mono) now = now.Add(due - now.Mono);
        }

        var t = ServiceLifecycle.Decide(s, command, now, p);

        Assert.Equal(expected, t.Next.State);
        Assert.Equal(effects, Describe(t));
        var changes = t.Events.OfType<StateChanged>().ToList();
        if (expected == s.State) Assert.Empty(changes);
        else Assert.Equal([s.State, .. changes.Select(c => c.To)], [.. changes.Select(c => c.From), expected]);
    }

    [Fact]
    public void Decide_StopDuringStarting_StopsAsSoonAsSpawnReports()
    {
        var (s, now) = Build("Starting/stop-pending");
        Assert.Equal(Desired.Down, s.Desired);
        var t = ServiceLifecycle.Decide(s, new Spawned(7), now, ServicePolicy.Default);
        Assert.Equal([ServiceState.Running, ServiceState.Stopping], t.Events.OfType<StateChanged>().Select(e => e.To));
    }

    [Fact]
    public void Decide_StartingAdoptedEmpty_RespawnsAtOnceWithAFreshStartDeadline_NoCrashCounted()
    {
        var (s, now) = Build("Starting");
        var later = now.Add(TimeSpan.FromSeconds(7));   // the daemon died and came back 7 s into a 10 s start timeout
        var t = ServiceLifecycle.Decide(s, new Adopted([]), later, ServicePolicy.Default);
        Assert.Equal(ServiceState.Starting, t.Next.State);
        Assert.Single(t.Effects.OfType<Spawn>());
        Assert.Equal(later, t.Next.Since);
        Assert.Null(t.Next.Deadline);   // the new spawn waits in the queue; its start timeout runs from its issue
        Assert.Equal(s.History, t.Next.History);
        Assert.Empty(t.Events.OfType<RestartScheduled>());
        var issuedAt = later.Add(TimeSpan.FromSeconds(1));
        var issued = ServiceLifecycle.Decide(t.Next, new SpawnIssued(), issuedAt, ServicePolicy.Default);
        Assert.Equal(issuedAt.Mono + ServicePolicy.Default.StartTimeout, issued.Next.Deadline);
    }

    [Fact]
    public void Decide_KillingDeadline_PublishesStallAndWaitsForKernel()
    {
        var (s, now) = Build("Killing");
        var t = ServiceLifecycle.Decide(s, new DeadlineReached(), now.Add(TimeSpan.FromSeconds(3)), ServicePolicy.Default);
        Assert.Equal(ServiceState.Killing, t.Next.State);
        Assert.Null(t.Next.Deadline);
        Assert.Single(t.Events.OfType<StopStalled>());
    }

    [Fact]
    public void Decide_Refusal_NamesTheFix()
    {
        var (s, now) = Build("Stopped");
        var t = ServiceLifecycle.Decide(s, Op.Start, now, Policies["disabled"]);
        var refusal = Assert.Single(t.Events.OfType<RequestRefused>());
        Assert.Equal("disabled; enable it, or start it with --force", refusal.Reason);
        Assert.Equal(s, t.Next);
    }

    [Fact]
    public void Phase_MapsStatesForOperators()
    {
        Assert.Equal(Phase.Stopping, ServiceState.Killing.ToPhase());
        Assert.Equal(Phase.Restarting, ServiceState.Starting.ToPhase(restarting: true));
        Assert.Equal(Phase.Idle, ServiceState.Idle.ToPhase());
        Assert.Equal("BACKOFF", ServiceState.Backoff.ToPhase().Name());
        var (backoffStart, now) = Build("Backoff");
        var t = ServiceLifecycle.Decide(backoffStart, new DeadlineReached(), now.Add(TimeSpan.FromSeconds(1)), ServicePolicy.Default);
        Assert.Equal(Phase.Restarting, t.Next.PhaseOf());
    }
}
