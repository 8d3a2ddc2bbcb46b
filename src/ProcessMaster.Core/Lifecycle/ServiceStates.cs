namespace ProcessMaster.Core.Lifecycle;

/// <summary>Named predicates over <see cref="ServiceState"/> (cf. systemd's <c>SERVICE_STATE_WITH_MAIN_PROCESS</c>).</summary>
public static class ServiceStates
{
    /// <summary>States in which none of the service's processes may exist and nothing is in flight:
    /// <see cref="ServiceState.Stopped"/>, <see cref="ServiceState.Idle"/>, <see cref="ServiceState.Backoff"/>,
    /// <see cref="ServiceState.Failed"/>. A populated cgroup never stays in one of these.</summary>
    public static bool IsAtRest(this ServiceState state) =>
        state is ServiceState.Stopped or ServiceState.Idle or ServiceState.Backoff or ServiceState.Failed;

    /// <summary>States that are ending the running instance: <see cref="ServiceState.Stopping"/>, <see cref="ServiceState.Killing"/>.</summary>
    public static bool IsStopping(this ServiceState state) => state is ServiceState.Stopping or ServiceState.Killing;

    /// <summary>The operator-visible phase.</summary>
    /// <param name="state">The state.</param>
    /// <param name="restarting">Whether the start in progress is a restart (<see cref="ServiceRuntime.IsRestart"/>).</param>
    public static Phase ToPhase(this ServiceState state, bool restarting = false) => state switch
    {
        ServiceState.Stopped => Phase.Stopped,
        ServiceState.Idle => Phase.Idle,
        ServiceState.Starting => restarting ? Phase.Restarting : Phase.Starting,
        ServiceState.Running => Phase.Running,
        ServiceState.Stopping or ServiceState.Killing => Phase.Stopping,
        ServiceState.Backoff => Phase.Backoff,
        ServiceState.Failed => Phase.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>The operator-visible phase of a runtime.</summary>
    public static Phase PhaseOf(this ServiceRuntime runtime) => runtime.State.ToPhase(runtime.IsRestart);

    /// <summary>The wire name of a phase, e.g. <c>RUNNING</c>.</summary>
    public static string Name(this Phase phase) => phase.ToString().ToUpperInvariant();
}
