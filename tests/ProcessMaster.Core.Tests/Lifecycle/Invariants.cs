using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Tests.Lifecycle;

/// <summary>What must hold after every <c>Decide</c>, whatever the state and input.</summary>
internal static class Invariants
{
    public static void Check(ServiceRuntime s, ServiceInput input, Moment now, ServicePolicy p, Transition t)
    {
        var n = t.Next;
        var why = $"{s.State} + {input} ({p.Kind}) -> {n.State}";

        // Never at rest (Stopped/Idle/Backoff/Failed) while the cgroup is populated.
        Assert.False(n.State.IsAtRest() && n.Populated, $"at rest while populated: {why}");

        // No Spawn while a process may be alive; a Spawn always enters Starting, once.
        int spawns = t.Effects.OfType<Spawn>().Count();
        if (spawns > 0)
        {
            Assert.Equal(1, spawns);
            bool emptiedNow = input is CgroupEmptied or Adopted { Pids.Count: 0 };
            Assert.False(s.Populated && !emptiedNow, $"Spawn while populated: {why}");
            Assert.False(n.Populated, $"Spawn while populated: {why}");
            Assert.Equal(ServiceState.Starting, n.State);
        }

        // Exactly one StateChanged per state change, forming a chain from the old state to the new one.
        var changes = t.Events.OfType<StateChanged>().ToList();
        if (n.State == s.State)
        {
            Assert.True(changes.Count == 0, $"publish without a change: {why}");
            // A spawn lost with the last daemon is asked for again: Starting stays, its start clock restarts.
            bool respawn = s.State == ServiceState.Starting && input is Adopted { Pids.Count: 0 } && spawns == 1;
            Assert.Equal(respawn ? now : s.Since, n.Since);
        }
        else
        {
            Assert.NotEmpty(changes);
            Assert.Equal(s.State, changes[0].From);
            Assert.Equal(n.State, changes[^1].To);
            for (int i = 1; i < changes.Count; i++) Assert.Equal(changes[i - 1].To, changes[i].From);
            Assert.All(changes, c => Assert.NotEqual(c.From, c.To));
            Assert.Equal(now, n.Since);
        }
        Assert.All(t.Events, e => Assert.Equal(now, e.At));

        // Deadlines only in states that need them; the states that always need one have one.
        if (n.Deadline is not null)
        {
            bool allowed = n.State is ServiceState.Starting or ServiceState.Stopping or ServiceState.Killing or ServiceState.Backoff
                || (n.State == ServiceState.Running && p.Kind == ServiceKind.Job && p.MaxRunTime is not null);
            Assert.True(allowed, $"deadline in {n.State}: {why}");
        }
        if (n.State is ServiceState.Stopping or ServiceState.Backoff || n.State == ServiceState.Starting && n.SpawnIssuedAt is not null)
        {
            Assert.True(n.Deadline is not null, $"no deadline in {n.State}: {why}");
        }
        // A spawn waiting in the shell's queue has no start timeout yet (it counts from the issue).
        if (n.State == ServiceState.Starting && n.SpawnIssuedAt is null) Assert.True(n.Deadline is null, $"start timeout before the spawn was issued: {why}");

        // Rest states belong to one kind: services never Idle, jobs never Stopped/Backoff/Failed (unless they
        // were already there, e.g. a kind change not yet reloaded).
        if (n.State != s.State)
        {
            if (p.Kind == ServiceKind.Service) Assert.NotEqual(ServiceState.Idle, n.State);
            else Assert.DoesNotContain(n.State, new[] { ServiceState.Stopped, ServiceState.Backoff, ServiceState.Failed });
        }

        // Process-directed effects only while stopping; KillCgroup only on entering Killing.
        if (t.Effects.Any(e => e is SendSignal or RunStopCommand))
        {
            Assert.True(n.State is ServiceState.Stopping, $"signal outside Stopping: {why}");
        }
        if (t.Effects.Any(e => e is KillCgroup)) Assert.Equal(ServiceState.Killing, n.State);

        // Pending requests only where they can complete.
        if (n.Pending is { Kind: PendingKind.Start }) Assert.True(n.State.IsStopping(), $"pending start in {n.State}: {why}");
        if (n.Pending is { Kind: PendingKind.Stop }) Assert.Equal(ServiceState.Starting, n.State);

        // Desired changes only by an operator's request or a removal.
        if (n.Desired != s.Desired)
        {
            bool byOperator = input is StartRequested { By: Requester.Operator } or StopRequested { By: Requester.Operator }
                or RestartRequested { By: Requester.Operator } or DefinitionRemoved;
            Assert.True(byOperator, $"desired changed by {input}: {why}");
        }

        // Deterministic.
        var again = ServiceLifecycle.Decide(s, input, now, p);
        Assert.Equal(t.Next, again.Next);
        Assert.Equal(t.Effects, again.Effects);
    }
}
