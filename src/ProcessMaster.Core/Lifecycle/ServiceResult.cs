namespace ProcessMaster.Core.Lifecycle;

/// <summary>Why the last instance (or job run) ended, kept apart from <see cref="ServiceState"/> (cf. systemd's <c>ServiceResult</c>).</summary>
public enum ServiceResult
{
    /// <summary>Nothing has ended yet.</summary>
    None,
    /// <summary>The main process exited 0 and the cgroup emptied.</summary>
    Success,
    /// <summary>The main process exited with a non-zero code.</summary>
    ExitCode,
    /// <summary>The main process was killed by a signal.</summary>
    Signal,
    /// <summary>The cgroup emptied and the main process's status is unknown (adopted, or it left earlier without a report).</summary>
    Vanished,
    /// <summary>The spawn failed (exec error, bad credentials, or no report within the start timeout).</summary>
    SpawnFailed,
    /// <summary>A requested stop completed within the grace period.</summary>
    Stopped,
    /// <summary>A stop needed <c>cgroup.kill</c> after the grace period.</summary>
    Killed,
    /// <summary>A job run exceeded <c>max_time_per_run</c> and was stopped.</summary>
    Overtime,
}

/// <summary>Why the running instance is being stopped.</summary>
public enum StopCause
{
    /// <summary>A stop request (operator or system).</summary>
    Requested,
    /// <summary>A restart: start again once the cgroup is empty.</summary>
    Restart,
    /// <summary>A job run exceeded <c>max_time_per_run</c>.</summary>
    Overtime,
    /// <summary>The definition was disabled.</summary>
    Disabled,
    /// <summary>The definition was removed.</summary>
    Removed,
    /// <summary>Processes appeared in the cgroup while the service is wanted down.</summary>
    Unwanted,
}
