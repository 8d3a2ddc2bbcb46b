using System.Diagnostics;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Lifecycle;

/// <summary>
/// The supervision state machine of one service, as a pure function <c>(state, input, now, policy) → (state, effects)</c>.
/// Core never reads a clock: <paramref name="now"/> is passed in; timeouts use <see cref="Moment.Mono"/>.
/// </summary>
/// <remarks>
/// Rules, in short (see docs on each handler):
/// <list type="bullet">
/// <item>Running means the service cgroup is populated. The main process's exit is recorded; a service whose main
/// exits while other processes remain stays Running (double-forking daemons). A job run ends when its cgroup is
/// empty; its result comes from the main process.</item>
/// <item>Stop: stop_command or stop signal → after the grace period <see cref="KillCgroup"/> → wait for
/// <see cref="CgroupEmptied"/>. Never at rest (Stopped/Idle/Backoff/Failed) while the cgroup is populated.</item>
/// <item>Restart stops fully, then spawns; a start requested while stopping is remembered and runs after the stop.</item>
/// <item>A crash goes through <see cref="Restart.RestartDecision"/>: Backoff until a deadline, or Failed, which
/// stays until an operator starts it. A stop during Backoff cancels the pending restart.</item>
/// <item>An operator stop sets <see cref="Desired.Down"/> (the original's <c>user_stop</c>): system starts (boot,
/// reload, auto-restart) are refused until an operator starts it again.</item>
/// <item>System flags are derived labels: Decide applies the flag rules itself (policy's rule set) and stores the
/// flags in the runtime; supervision never reads a flag, so custom rules cannot change behaviour.</item>
/// </list>
/// </remarks>
public static partial class ServiceLifecycle
{
    /// <summary>Decides what <paramref name="input"/> means for <paramref name="s"/> at <paramref name="now"/>.
    /// Total: every (state, input) pair yields a transition; "nothing to do" is an explicit unchanged transition.</summary>
    public static Transition Decide(ServiceRuntime s, ServiceInput input, Moment now, ServicePolicy p)
    {
        var t = new Step(s, input, now, p);
        return (input switch
        {
            StartRequested r => Start(t, r.By, r.Force, isRestart: false),
            RestartRequested r => Restart(t, r.By, r.Force),
            StopRequested r => Stop(t, r.By, r.Force),
            SpawnIssued => OnSpawnIssued(t),
            Spawned e => OnSpawned(t, e.Pid),
            SpawnFailed e => OnSpawnFailed(t, $"spawn failed: {e.Message}"),
            MainExited e => OnMainExited(t, e),
            CgroupPopulated => OnPopulated(t),
            CgroupEmptied => OnEmptied(t),
            Adopted a => OnAdopted(t, a.Pids),
            DeadlineReached => OnDeadline(t),
            StopCommandFinished f => OnStopCommandFinished(t, f),
            DefinitionReloaded d => OnReloaded(t, d.Change),
            DefinitionRemoved => OnRemoved(t),
            _ => throw new UnreachableException($"unknown input {input.GetType().Name}"),
        }).ToTransition();
    }

    /// <summary>
    /// The deadline of <paramref name="s"/>'s state, counted from its entry (<see cref="ServiceRuntime.Since"/>),
    /// so it can be recomputed after a daemon restart or a policy change (cf. systemd's <c>service_coldplug_timeout</c>).
    /// Starting: start timeout from the spawn's issue (none while it waits in the spawn queue); Running job: <c>max_time_per_run</c> from the run's start; Stopping: grace period;
    /// Killing: kill timeout; Backoff: the restart delay. Other states have none.
    /// </summary>
    public static TimeSpan? DeadlineFor(ServiceRuntime s, ServicePolicy p) => s.State switch
    {
        ServiceState.Starting => s.SpawnIssuedAt is { } issued ? issued.Mono + p.StartTimeout : null,
        ServiceState.Running => p.Kind == ServiceKind.Job && p.MaxRunTime is { } max ? (s.StartedAt ?? s.Since).Mono + max : null,
        ServiceState.Stopping => s.Since.Mono + p.StopGrace,
        ServiceState.Killing => s.Since.Mono + p.KillTimeout,
        ServiceState.Backoff => s.Since.Mono + p.Restart.DelayFor(Math.Max(1, s.History.CountWithin(s.Since, p.Restart.Window))),
        ServiceState.Stopped or ServiceState.Idle or ServiceState.Failed => null,
        _ => throw new UnreachableException($"unknown state {s.State}"),
    };

    /// <summary>DeadlineReached: acts only when the deadline has really passed (a timer that fired for an
    /// older deadline is ignored).</summary>
    private static Step OnDeadline(Step t)
    {
        if (t.S.Deadline is not { } due || t.Now.Mono < due) return t;
        return t.S.State switch
        {
            ServiceState.Starting => OnSpawnFailed(t, $"spawn did not report within {DurationText.Format(t.P.StartTimeout)}"),
            ServiceState.Running => t.IsJob ? BeginStop(t, StopCause.Overtime) : t,
            ServiceState.Stopping => t.Enter(ServiceState.Killing).Do(new KillCgroup()),
            ServiceState.Killing => t.With(s => s with { Deadline = null })
                .Publish(new StopStalled(t.Now.Since(t.S.Since), t.Now)),
            ServiceState.Backoff => BeginStart(t, Requester.System, isRestart: true),
            ServiceState.Stopped or ServiceState.Idle or ServiceState.Failed => t,
            _ => throw new UnreachableException($"unknown state {t.S.State}"),
        };
    }
}
