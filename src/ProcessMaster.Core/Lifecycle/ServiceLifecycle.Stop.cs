using System.Diagnostics;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Flags;

namespace ProcessMaster.Core.Lifecycle;

public static partial class ServiceLifecycle
{
    /// <summary>
    /// StopRequested. An operator stop of a service records <see cref="Desired.Down"/> and sets <c>user_stop</c>
    /// (rules) whenever it changes something. Running: begin the stop. Starting: stop once the spawn reports.
    /// Stopping/Killing: cancels a pending start. Backoff: cancels the pending restart (T-D05). Failed: an
    /// operator stop acknowledges it (→ Stopped). Stopped/Idle: nothing runs.
    /// Escalation: a forced stop of a Running service, or an operator stop of a service already Stopping (a second
    /// <c>pmctl stop</c> while the first waits out a long grace period), skips the rest of the grace period:
    /// Killing, <c>cgroup.kill</c> now.
    /// </summary>
    private static Step Stop(Step t, Requester by, bool force = false)
    {
        var s = t.S;
        bool operatorStop = by == Requester.Operator;
        switch (s.State)
        {
            case ServiceState.Stopped:
                return operatorStop && s.Desired == Desired.Up ? OperatorStopped(t) : t;

            case ServiceState.Idle:
                return t;

            case ServiceState.Backoff:
                if (operatorStop) OperatorStopped(t);
                return t.Enter(t.RestState);

            case ServiceState.Failed:
                return operatorStop ? OperatorStopped(t).Enter(t.RestState) : t;

            case ServiceState.Starting:
                if (operatorStop) OperatorStopped(t);
                return t.With(r => r with { Pending = new PendingRequest(PendingKind.Stop, by) });

            case ServiceState.Running:
                if (operatorStop) OperatorStopped(t);
                return force
                    ? t.With(r => r with { StopCause = StopCause.Requested }).Enter(ServiceState.Killing).Do(new KillCgroup())
                    : BeginStop(t, StopCause.Requested);

            case ServiceState.Stopping:
                if (operatorStop) OperatorStopped(t);
                t.With(r => r with { Pending = null });
                return force || operatorStop ? t.Enter(ServiceState.Killing).Do(new KillCgroup()) : t;

            case ServiceState.Killing:
                if (operatorStop) OperatorStopped(t);
                return t.With(r => r with { Pending = null });

            default:
                throw new UnreachableException($"unknown state {s.State}");
        }
    }

    /// <summary>Records an operator stop: Desired=Down for a service (jobs keep their schedule), <c>user_stop</c> via the rules.</summary>
    private static Step OperatorStopped(Step t) =>
        t.With(s => s with { Desired = t.IsJob ? s.Desired : Desired.Down }).SetFlag(SystemFlag.UserStop);

    /// <summary>Enters Stopping: runs the stop_command, or sends the stop signal to every process of the cgroup.</summary>
    private static Step BeginStop(Step t, StopCause cause) =>
        t.With(s => s with { StopCause = cause })
            .Enter(ServiceState.Stopping)
            .Do(t.P.HasStopCommand ? new RunStopCommand() : new SendSignal(t.P.StopSignal));

    /// <summary>StopCommandFinished while Stopping: exit 0 waits out the grace period; a failure falls back to
    /// SIGTERM to every process (the deadline still ends in <c>cgroup.kill</c>).</summary>
    private static Step OnStopCommandFinished(Step t, StopCommandFinished f)
    {
        if (t.S.State != ServiceState.Stopping || f.ExitCode == 0) return t;
        var why = f.Error is { } error ? $"stop_command failed: {error}" : $"stop_command exited with code {f.ExitCode}";
        return t.Publish(new StopCommandFallback($"{why}; sending SIGTERM to every process", t.Now))
            .Do(new SendSignal(Signal.Term));
    }

    /// <summary>
    /// DefinitionRemoved: a graceful stop (stop_command or signal, grace, <c>cgroup.kill</c>) — unlike the
    /// original's immediate kill (T-D15) — and nothing pending; the shell forgets the service once it is at rest.
    /// </summary>
    private static Step OnRemoved(Step t)
    {
        t.With(s => s with { Desired = t.IsJob ? s.Desired : Desired.Down, Pending = null });
        return t.S.State switch
        {
            ServiceState.Running => BeginStop(t, StopCause.Removed),
            ServiceState.Starting => t.With(s => s with { Pending = new PendingRequest(PendingKind.Stop, Requester.System) }),
            ServiceState.Backoff or ServiceState.Failed => t.Enter(t.RestState),
            ServiceState.Stopping or ServiceState.Killing or ServiceState.Stopped or ServiceState.Idle => t,
            _ => throw new UnreachableException($"unknown state {t.S.State}"),
        };
    }
}
