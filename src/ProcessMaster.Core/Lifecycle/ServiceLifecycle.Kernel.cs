using System.Diagnostics;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Lifecycle;

public static partial class ServiceLifecycle
{
    /// <summary>MainExited: records the status; never changes the state (the cgroup decides, T-D01/T-D11).
    /// A report for a pid that is not the current main process is stale and ignored.</summary>
    private static Step OnMainExited(Step t, MainExited e) =>
        t.S.MainPid == e.Pid ? t.With(s => s with { LastExit = e.Status, MainPid = null }) : t;

    /// <summary>
    /// CgroupPopulated. Where processes are expected, it is recorded. At rest, something runs in our cgroup: a
    /// service wanted down (or disabled) is stopped; otherwise it is Running (a Backoff restart is cancelled).
    /// </summary>
    private static Step OnPopulated(Step t)
    {
        t.With(s => s with { Populated = true });
        return t.S.State switch
        {
            ServiceState.Starting or ServiceState.Running or ServiceState.Stopping or ServiceState.Killing => t,
            ServiceState.Stopped or ServiceState.Idle or ServiceState.Backoff or ServiceState.Failed => FoundRunning(t),
            _ => throw new UnreachableException($"unknown state {t.S.State}"),
        };
    }

    /// <summary>Processes found in the cgroup of a service at rest.</summary>
    private static Step FoundRunning(Step t)
    {
        t.With(s => s with { StartedAt = t.Now, MainPid = null, LastExit = null, StartedBy = Requester.System, IsRestart = false });
        bool unwanted = !t.IsJob && (t.S.Desired == Desired.Down || !t.P.Enabled);
        return unwanted ? BeginStop(t, StopCause.Unwanted) : t.Enter(ServiceState.Running);
    }

    /// <summary>
    /// Adopted (daemon restart found the cgroup populated): supervision resumes without a restart. The main pid
    /// is kept if it is still among <paramref name="pids"/>; deadlines are recomputed from each state's entry,
    /// so a stop or a job's <c>max_time_per_run</c> continues where it was. An empty list means an empty cgroup; in
    /// Starting it means the last daemon died before its spawn put a process there: see <see cref="RespawnLost"/>.
    /// </summary>
    private static Step OnAdopted(Step t, IReadOnlyList<int> pids)
    {
        if (pids.Count == 0) return t.S.State == ServiceState.Starting ? RespawnLost(t) : OnEmptied(t);
        t.With(s => s with { Populated = true, MainPid = s.MainPid is { } m && pids.Contains(m) ? m : null });
        switch (t.S.State)
        {
            case ServiceState.Running or ServiceState.Stopping or ServiceState.Killing:
                return t.With(s => s with { Deadline = DeadlineFor(s, t.P) });
            case ServiceState.Starting:
                t.With(s => s with { StartedAt = t.Now });
                return EnterRunning(t);
            case ServiceState.Stopped or ServiceState.Idle or ServiceState.Backoff or ServiceState.Failed:
                return FoundRunning(t);
            default:
                throw new UnreachableException($"unknown state {t.S.State}");
        }
    }

    /// <summary>
    /// Adopted with an empty cgroup in Starting: the daemon that asked for the spawn died before the process reached its
    /// cgroup, and no daemon will ever report it. Waiting out the start timeout would delay the service and count a
    /// crash that never happened; instead the spawn is asked for again at once, with the start clock restarted: the new
    /// spawn waits in the queue like any other, and its start timeout runs from <see cref="SpawnIssued"/>. A stop asked
    /// for meanwhile wins: nothing is spawned.
    /// </summary>
    private static Step RespawnLost(Step t)
    {
        t.With(s => s with { Populated = false, MainPid = null });
        if (t.S.Pending is { Kind: PendingKind.Stop }) return t.Enter(t.RestState);
        t.With(s => s with { Since = t.Now, Pending = null, SpawnIssuedAt = null });
        return t.With(s => s with { Deadline = DeadlineFor(s, t.P) }).Do(new Spawn());
    }

    /// <summary>
    /// CgroupEmptied: the instance is over. Running: a service crashed (→ restart policy), a job run ended.
    /// Stopping/Killing: the stop is complete (→ the pending start, or rest). Elsewhere it is only recorded.
    /// </summary>
    private static Step OnEmptied(Step t)
    {
        t.With(s => s with { Populated = false, MainPid = null });
        var s = t.S;
        switch (s.State)
        {
            case ServiceState.Stopped or ServiceState.Idle or ServiceState.Backoff or ServiceState.Failed or ServiceState.Starting:
                return t;

            case ServiceState.Running:
            {
                var result = ResultOf(s.LastExit);
                if (t.IsJob) return EndRun(t, result).Enter(ServiceState.Idle);
                t.With(r => r with { Result = result, Detail = Describe(result, r.LastExit) });
                return Crashed(t);
            }

            case ServiceState.Stopping or ServiceState.Killing:
            {
                var result = s.StopCause == StopCause.Overtime ? ServiceResult.Overtime
                    : s.State == ServiceState.Killing ? ServiceResult.Killed : ServiceResult.Stopped;
                t.With(r => r with { Result = result, Detail = Describe(result, r.LastExit) });
                if (t.IsJob) EndRun(t, result);
                return s.Pending is { Kind: PendingKind.Start } pending
                    ? BeginStart(t, pending.By, isRestart: true)
                    : t.Enter(t.RestState);
            }

            default:
                throw new UnreachableException($"unknown state {s.State}");
        }
    }

    /// <summary>
    /// A service ended on its own (or never started). Recorded in the history; then an operator stop or a
    /// disabled definition leaves it Stopped, else <see cref="RestartDecision.After"/> decides: Backoff
    /// (<c>backoff</c> flag with the restart time as expiry), Failed (<c>failed</c> via the rules), or, with
    /// <c>restart: never</c>, Stopped after a clean exit and Failed otherwise.
    /// </summary>
    private static Step Crashed(Step t)
    {
        var now = t.Now;
        var history = t.S.History.Record(now, t.P.Restart.Window);
        t.With(s => s with { History = history });
        var what = t.S.Detail ?? t.S.Result.ToString();
        if (t.S.Desired == Desired.Down || !t.P.Enabled)
        {
            var why = t.S.Desired == Desired.Down ? "stopped by an operator" : "disabled";
            return t.With(s => s with { Detail = $"{what}; not restarted: {why}" }).Enter(ServiceState.Stopped);
        }
        switch (RestartDecision.After(history, now, t.P.Restart))
        {
            case RestartDecision.Backoff b:
                var delay = b.Until.Since(now);
                return t.With(s => s with { Detail = $"{what}; restarting in {DurationText.Format(delay)} (attempt {b.Attempt} of {b.MaxRestarts})" })
                    .SetFlagDirect(SystemFlag.Backoff, b.Until.Wall)
                    .Enter(ServiceState.Backoff)
                    .Publish(new RestartScheduled(b.Until, b.Attempt, b.MaxRestarts, now));
            case RestartDecision.Failed f:
                return t.With(s => s with { Detail = $"{what}; {f.Reason}" }).SetFlag(SystemFlag.Failed).Enter(ServiceState.Failed);
            case RestartDecision.NoRestart when t.S.Result == ServiceResult.Success:
                return t.With(s => s with { Detail = $"{what}; restart_policy is never" }).Enter(ServiceState.Stopped);
            case RestartDecision.NoRestart:
                return t.With(s => s with { Detail = $"{what}; restart_policy is never, so not restarted; start it by hand" })
                    .SetFlag(SystemFlag.Failed).Enter(ServiceState.Failed);
            default:
                throw new UnreachableException("unknown restart decision");
        }
    }

    /// <summary>Records a finished job run: <see cref="RecordRun"/>, <c>ot_killed</c> (direct) after an overtime stop,
    /// then <c>exit_ok</c> or <c>exit_err</c> via the rules, and a crash count for a failed run.</summary>
    private static Step EndRun(Step t, ServiceResult result)
    {
        var s = t.S;
        bool ok = result != ServiceResult.Overtime && s.LastExit is { IsSuccess: true };
        var detail = result == ServiceResult.SpawnFailed ? s.Detail : Describe(result, s.LastExit);
        t.With(r => r with { Result = result, Detail = detail })
            .Do(new RecordRun(new RunRecord(s.StartedAt ?? s.Since, t.Now, result, s.LastExit, detail)));
        if (result == ServiceResult.Overtime) t.SetFlagDirect(SystemFlag.OtKilled);
        t.SetFlag(ok ? SystemFlag.ExitOk : SystemFlag.ExitErr);
        return ok ? t : t.With(r => r with { History = r.History.Record(t.Now, RestartHistory.Horizon) });
    }

    private static ServiceResult ResultOf(ExitStatus? exit) => exit switch
    {
        null => ServiceResult.Vanished,
        { IsSuccess: true } => ServiceResult.Success,
        { Code: not null } => ServiceResult.ExitCode,
        _ => ServiceResult.Signal,
    };

    private static string Describe(ServiceResult result, ExitStatus? exit) => result switch
    {
        ServiceResult.Success or ServiceResult.ExitCode or ServiceResult.Signal => $"main process {exit}",
        ServiceResult.Vanished => "all processes exited (main process status unknown)",
        ServiceResult.Stopped => exit is { } e ? $"stopped (main process {e})" : "stopped",
        ServiceResult.Killed => "stopped by cgroup.kill after the grace period",
        ServiceResult.Overtime => "run exceeded max_time_per_run and was stopped",
        _ => result.ToString(),
    };
}
