using System.Diagnostics;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Restart;

namespace ProcessMaster.Core.Lifecycle;

public static partial class ServiceLifecycle
{
    /// <summary>
    /// DefinitionReloaded (<paramref name="p"/> in the step is already the new policy).
    /// KeptLastGood sets <c>outdated</c>; Unchanged clears it and does nothing else (a FAILED service stays
    /// FAILED, T-D37). Modified clears it, resets the tolerance window and applies the new definition:
    /// disabled → stop (no crash counted, T-D09) and cancel Backoff/Failed; enabled service wanted up →
    /// Running restarts (stop fully, then start), at rest starts once (T-D08), Starting keeps the spawn in flight.
    /// A job keeps its current run; a kind change at rest moves to the other rest state. The deadline of the
    /// current state is recomputed under the new policy (e.g. a changed grace period or <c>max_time_per_run</c>).
    /// </summary>
    private static Step OnReloaded(Step t, DefinitionChange change)
    {
        switch (change)
        {
            case DefinitionChange.KeptLastGood:
                return t.SetFlagDirect(SystemFlag.Outdated);
            case DefinitionChange.Unchanged:
                return t.ClearFlagDirect(SystemFlag.Outdated);
            case DefinitionChange.Modified:
                break;
            default:
                throw new UnreachableException($"unknown change {change}");
        }

        t.ClearFlagDirect(SystemFlag.Outdated)
            .With(s => s with { History = RestartHistory.Empty, Deadline = DeadlineFor(s, t.P) });
        var state = t.S.State;
        if (state.IsAtRest() && state != t.RestState && (t.IsJob || state == ServiceState.Idle)) t.Enter(t.RestState);

        if (!t.P.Enabled)
        {
            return t.S.State switch
            {
                ServiceState.Running => BeginStop(t, StopCause.Disabled),
                ServiceState.Starting => t.With(s => s with { Pending = new PendingRequest(PendingKind.Stop, Requester.System) }),
                ServiceState.Stopping or ServiceState.Killing => t.With(s => s with { Pending = null }),
                ServiceState.Backoff or ServiceState.Failed => t.Enter(t.RestState),
                ServiceState.Stopped or ServiceState.Idle => t,
                _ => throw new UnreachableException($"unknown state {t.S.State}"),
            };
        }
        if (t.IsJob || t.S.Desired == Desired.Down) return t;
        return t.S.State switch
        {
            ServiceState.Running => BeginStop(t, StopCause.Restart)
                .With(s => s with { Pending = new PendingRequest(PendingKind.Start, Requester.System) }),
            ServiceState.Stopping or ServiceState.Killing => t.With(s => s with { Pending = new PendingRequest(PendingKind.Start, Requester.System) }),
            ServiceState.Stopped or ServiceState.Backoff or ServiceState.Failed =>
                BeginStart(t, Requester.System, isRestart: t.S.State != ServiceState.Stopped),
            ServiceState.Starting or ServiceState.Idle => t,
            _ => throw new UnreachableException($"unknown state {t.S.State}"),
        };
    }
}
