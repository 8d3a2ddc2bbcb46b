using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Lifecycle;

/// <summary>
/// Everything the supervisor knows about one service, replaced whole by each <see cref="ServiceLifecycle.Decide"/>.
/// Persisted by the shell and restored on boot (then reconciled with <see cref="Adopted"/> or
/// <see cref="CgroupEmptied"/>); <see cref="ServiceLifecycle.DeadlineFor"/> recomputes the deadline.
/// </summary>
public sealed record ServiceRuntime
{
    /// <summary>Where it is. Changed only by <c>ServiceLifecycle.Enter</c>.</summary>
    public required ServiceState State { get; init; }

    /// <summary>What the operator wants.</summary>
    public Desired Desired { get; init; } = Desired.Up;

    /// <summary>When <see cref="State"/> was entered; per-state deadlines count from here.</summary>
    public required Moment Since { get; init; }

    /// <summary>Monotonic time (<see cref="Moment.Mono"/>) at which <see cref="DeadlineReached"/> is due, or null.
    /// The shell arms one timer for it.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>When the current start's spawn left the shell's spawn queue (<see cref="SpawnIssued"/>); null while it
    /// waits there. The start timeout counts from here.</summary>
    public Moment? SpawnIssuedAt { get; init; }

    /// <summary>The service cgroup is populated, as last reported by the kernel (or implied by <see cref="Spawned"/>).</summary>
    public bool Populated { get; init; }

    /// <summary>The main process while it lives (unknown after adoption unless it was persisted and still exists).</summary>
    public int? MainPid { get; init; }

    /// <summary>When the current (or last) instance was spawned or adopted.</summary>
    public Moment? StartedAt { get; init; }

    /// <summary>How the main process of the current or last instance ended, if it did and we saw it.</summary>
    public ExitStatus? LastExit { get; init; }

    /// <summary>Why the last instance or run ended.</summary>
    public ServiceResult Result { get; init; }

    /// <summary>Operator-readable detail of <see cref="Result"/> or of the failure (what happened, what happens next).</summary>
    public string? Detail { get; init; }

    /// <summary>Who asked for the current (or last) start; decides <c>user_start</c> vs <c>system_start</c>.</summary>
    public Requester StartedBy { get; init; } = Requester.System;

    /// <summary>The current (or last) start is a restart (shown as RESTARTING while starting).</summary>
    public bool IsRestart { get; init; }

    /// <summary>A request remembered until the current step completes: a start once the stop is done,
    /// or a stop once the spawn reports.</summary>
    public PendingRequest? Pending { get; init; }

    /// <summary>Why the instance is being stopped (set while <see cref="ServiceState.Stopping"/>/<see cref="ServiceState.Killing"/>).</summary>
    public StopCause? StopCause { get; init; }

    /// <summary>Recent crashes (tolerance window and the ten-minute counter).</summary>
    public RestartHistory History { get; init; } = RestartHistory.Empty;

    /// <summary>System flags (set through the rules by <see cref="ServiceLifecycle.Decide"/>).</summary>
    public FlagSet<SystemFlag> Flags { get; init; } = FlagSet<SystemFlag>.Empty;

    /// <summary>A newly defined service at rest: <see cref="ServiceState.Stopped"/> for a service, <see cref="ServiceState.Idle"/> for a job.</summary>
    public static ServiceRuntime New(ServiceKind kind, Moment now) =>
        new() { State = kind == ServiceKind.Job ? ServiceState.Idle : ServiceState.Stopped, Since = now };
}

/// <summary>What a pending request asks for.</summary>
public enum PendingKind
{
    /// <summary>Start once the cgroup is empty.</summary>
    Start,
    /// <summary>Stop once the spawn in flight has reported.</summary>
    Stop,
}

/// <summary>A request remembered until the step in progress completes.</summary>
public readonly record struct PendingRequest(PendingKind Kind, Requester By);
