using System.Diagnostics;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Restart;

namespace ProcessMaster.Core.Lifecycle;

public static partial class ServiceLifecycle
{
    /// <summary>
    /// StartRequested. At rest: start (operator: Desired=Up and a fresh tolerance window), unless refused
    /// (<see cref="WhyNotStart"/>); Backoff + a system start is a no-op (the restart is already due).
    /// Starting/Running: already up (a job run never overlaps: refused). Stopping/Killing: remembered, runs after the stop.
    /// </summary>
    private static Step Start(Step t, Requester by, bool force, bool isRestart)
    {
        var s = t.S;
        switch (s.State)
        {
            case ServiceState.Stopped or ServiceState.Idle or ServiceState.Backoff or ServiceState.Failed:
                if (WhyNotStart(t, by, force) is { } refusal) return t.Refuse(refusal);
                if (s.State == ServiceState.Backoff && by != Requester.Operator) return t;
                if (by == Requester.Operator) t.With(r => r with { Desired = Desired.Up, History = RestartHistory.Empty });
                return BeginStart(t, by, isRestart);

            case ServiceState.Starting or ServiceState.Running:
                if (t.IsJob && by != Requester.Operator) return t.Refuse("a run is in progress; runs never overlap, so this one is skipped");
                if (by != Requester.Operator) return t;
                return t.With(r => r with
                {
                    Desired = Desired.Up,
                    Pending = r.Pending is { Kind: PendingKind.Stop } ? null : r.Pending,
                });

            case ServiceState.Stopping or ServiceState.Killing:
                if (WhyNotStart(t, by, force) is { } refused) return t.Refuse(refused);
                if (t.IsJob && by == Requester.Schedule) return t.Refuse("the previous run is still stopping; this run is skipped");
                return t.With(r => r with
                {
                    Desired = by == Requester.Operator ? Desired.Up : r.Desired,
                    Pending = new PendingRequest(PendingKind.Start, by),
                });

            default:
                throw new UnreachableException($"unknown state {s.State}");
        }
    }

    /// <summary>
    /// RestartRequested. Running: stop fully (<see cref="StopCause.Restart"/>), then start. Stopping/Killing:
    /// start after the stop. At rest: a start. Starting: nothing (the instance coming up is fresh).
    /// </summary>
    private static Step Restart(Step t, Requester by, bool force)
    {
        var s = t.S;
        switch (s.State)
        {
            case ServiceState.Stopped or ServiceState.Idle or ServiceState.Backoff or ServiceState.Failed
                or ServiceState.Starting or ServiceState.Stopping or ServiceState.Killing:
                return Start(t, by, force, isRestart: true);

            case ServiceState.Running:
                if (WhyNotStart(t, by, force) is { } refusal) return t.Refuse(refusal);
                if (by == Requester.Operator) t.With(r => r with { Desired = Desired.Up, History = RestartHistory.Empty });
                BeginStop(t, StopCause.Restart);
                return t.With(r => r with { Pending = new PendingRequest(PendingKind.Start, by) });

            default:
                throw new UnreachableException($"unknown state {s.State}");
        }
    }

    /// <summary>Why a start by <paramref name="by"/> is refused, or null. The text says what to do.</summary>
    private static string? WhyNotStart(Step t, Requester by, bool force)
    {
        var s = t.S;
        if (!t.IsJob && by == Requester.Schedule) return "not a scheduled job; nothing to run";
        if (t.IsJob && by == Requester.System) return "a scheduled job runs on its schedule; start it by hand to run it now";
        if (!t.P.Enabled && !force)
        {
            return by == Requester.Operator ? "disabled; enable it, or start it with --force" : "disabled; not started";
        }
        if (t.IsJob || by != Requester.System) return null;
        if (s.Desired == Desired.Down) return "stopped by an operator; not started automatically until an operator starts it";
        if (s.State == ServiceState.Failed) return $"failed ({s.Detail ?? s.Result.ToString()}); start it by hand to retry";
        return null;
    }

    /// <summary>Enters Starting and spawns. Callers guarantee the cgroup is empty (at rest, or a completed stop).</summary>
    private static Step BeginStart(Step t, Requester by, bool isRestart) =>
        t.With(s => s with { StartedBy = by, IsRestart = isRestart, MainPid = null, Pending = null, SpawnIssuedAt = null })
            .Enter(ServiceState.Starting)
            .Do(new Spawn());

    /// <summary>SpawnIssued: the spawn left the queue; the start timeout runs from now. Only the first report counts.</summary>
    private static Step OnSpawnIssued(Step t)
    {
        if (t.S.State != ServiceState.Starting || t.S.SpawnIssuedAt is not null) return t;
        t.With(s => s with { SpawnIssuedAt = t.Now });
        return t.With(s => s with { Deadline = DeadlineFor(s, t.P) });
    }

    /// <summary>
    /// Spawned: the main process is in the cgroup → Running, and <c>user_start</c> or <c>system_start</c> is set
    /// through the rules. A stop requested meanwhile starts now. Only a spawn in flight reports; otherwise ignored.
    /// </summary>
    private static Step OnSpawned(Step t, int pid)
    {
        if (t.S.State != ServiceState.Starting) return t;
        t.With(s => s with { Populated = true, MainPid = pid, StartedAt = t.Now, LastExit = null, Detail = null });
        return EnterRunning(t);
    }

    /// <summary>Running after a start or adoption: start flag, then a pending stop if one was asked for meanwhile.</summary>
    private static Step EnterRunning(Step t)
    {
        t.SetFlag(t.S.StartedBy == Requester.Operator ? SystemFlag.UserStart : SystemFlag.SystemStart)
            .Enter(ServiceState.Running);
        if (t.S.Pending is not { Kind: PendingKind.Stop }) return t;
        t.With(s => s with { Pending = null });
        return BeginStop(t, StopCause.Requested);
    }

    /// <summary>
    /// SpawnFailed (or no report within the start timeout). A service crashes into the restart policy
    /// (deterministic, unlike the original's 3 s confirm window, T-D02); a job run ends with <c>exit_err</c>.
    /// If the cgroup is populated anyway, something runs: Running.
    /// </summary>
    private static Step OnSpawnFailed(Step t, string message)
    {
        if (t.S.State != ServiceState.Starting) return t;
        if (t.S.Populated)
        {
            t.With(s => s with { StartedAt = t.Now, MainPid = null, Detail = message });
            return EnterRunning(t);
        }
        t.With(s => s with { MainPid = null, Result = ServiceResult.SpawnFailed, Detail = message });
        if (t.S.Pending is { Kind: PendingKind.Stop }) return t.Enter(t.RestState);
        return t.IsJob ? EndRun(t, ServiceResult.SpawnFailed).Enter(ServiceState.Idle) : Crashed(t);
    }
}
