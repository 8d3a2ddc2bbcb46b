namespace ProcessMaster.Core.Lifecycle;

/// <summary>
/// Where a service or job is (fine-grained, one meaning per state; cf. systemd's <c>SERVICE_STOP_SIGTERM</c>
/// vs <c>SERVICE_STOP_SIGKILL</c>). Why it got there is <see cref="ServiceResult"/>; what is wanted is
/// <see cref="Desired"/>. Operators see the coarser <see cref="Phase"/> (<see cref="ServiceStates.ToPhase"/>).
/// </summary>
public enum ServiceState
{
    /// <summary>Service: nothing runs and nothing is pending.</summary>
    Stopped,
    /// <summary>Job: no run in progress; waiting for the next scheduled (or manual) run.</summary>
    Idle,
    /// <summary>Spawn requested; waiting for the shell to report <see cref="Spawned"/> or <see cref="SpawnFailed"/>.</summary>
    Starting,
    /// <summary>The service cgroup is populated (for a job: a run is in progress).</summary>
    Running,
    /// <summary>Stop signal sent or stop_command running; waiting for the cgroup to empty until the grace period ends.</summary>
    Stopping,
    /// <summary><c>cgroup.kill</c> written; waiting for the cgroup to empty.</summary>
    Killing,
    /// <summary>Service crashed; an automatic restart is due at the deadline.</summary>
    Backoff,
    /// <summary>Service gave up (tolerance exceeded, or an unclean end with <c>restart: never</c>); stays until started by hand.</summary>
    Failed,
}

/// <summary>The state an operator sees (status, events, console).</summary>
public enum Phase
{
    /// <summary>Not running.</summary>
    Stopped,
    /// <summary>Job between runs.</summary>
    Idle,
    /// <summary>Being started.</summary>
    Starting,
    /// <summary>Being started again after a restart request or a crash.</summary>
    Restarting,
    /// <summary>Running.</summary>
    Running,
    /// <summary>Being stopped (gracefully or by <c>cgroup.kill</c>).</summary>
    Stopping,
    /// <summary>Waiting to restart after a crash.</summary>
    Backoff,
    /// <summary>Gave up restarting.</summary>
    Failed,
}
