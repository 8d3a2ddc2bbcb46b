namespace ProcessMaster.Core.Lifecycle;

/// <summary>
/// A fact, in the past tense, fed to <see cref="ServiceLifecycle.Decide"/>: a request that arrived, or what the
/// kernel or an effect reported. The shell reports, per service and in order: <see cref="Spawned"/> before any
/// cgroup event of that instance, and <see cref="MainExited"/> before the <see cref="CgroupEmptied"/> it causes.
/// </summary>
public abstract record ServiceInput;

/// <summary>A start was requested. <paramref name="Force"/> starts a disabled service.</summary>
public sealed record StartRequested(Requester By, bool Force = false) : ServiceInput;

/// <summary>A stop was requested. <paramref name="Force"/> does not wait out the grace period: <c>cgroup.kill</c> now.</summary>
public sealed record StopRequested(Requester By, bool Force = false) : ServiceInput;

/// <summary>A restart was requested: stop fully, then start (never two instances).</summary>
public sealed record RestartRequested(Requester By, bool Force = false) : ServiceInput;

/// <summary>The spawn effect succeeded: <paramref name="Pid"/> is the main process, already inside the service cgroup,
/// running with <paramref name="Uid"/>/<paramref name="Gid"/> (named in the start event; null when unknown).</summary>
public sealed record Spawned(int Pid, uint? Uid = null, uint? Gid = null) : ServiceInput;

/// <summary>
/// The shell handed the <see cref="Spawn"/> effect to a spawn thread. Spawns wait in a bounded queue (a `start all` of
/// 1000 services enters Starting at once), so the start timeout counts from here, not from entering Starting.
/// </summary>
public sealed record SpawnIssued : ServiceInput;

/// <summary>The spawn effect failed before the program ran.</summary>
/// <param name="Message">Operator-readable cause, e.g. <c>/opt/web/bin/server: Permission denied (EACCES)</c>.</param>
/// <param name="Errno">The errno, if there was one.</param>
public sealed record SpawnFailed(string Message, int? Errno = null) : ServiceInput;

/// <summary>The main process <paramref name="Pid"/> ended (reaped through its pidfd).</summary>
public sealed record MainExited(int Pid, ExitStatus Status) : ServiceInput;

/// <summary><c>cgroup.events</c> says <c>populated 1</c>.</summary>
public sealed record CgroupPopulated : ServiceInput;

/// <summary><c>cgroup.events</c> says <c>populated 0</c>: no process of the service is left.</summary>
public sealed record CgroupEmptied : ServiceInput;

/// <summary>The timer armed for <see cref="ServiceRuntime.Deadline"/> fired (ignored unless the deadline has passed).</summary>
public sealed record DeadlineReached : ServiceInput;

/// <summary>The stop_command ended: exit code, or <paramref name="Error"/> if it could not run.</summary>
public sealed record StopCommandFinished(int? ExitCode, string? Error = null) : ServiceInput;

/// <summary>After a daemon restart, the service cgroup was found populated with <paramref name="Pids"/> (sent once, at boot,
/// for a restored runtime; an empty cgroup is reported as <see cref="CgroupEmptied"/>).</summary>
public sealed record Adopted(IReadOnlyList<int> Pids) : ServiceInput;

/// <summary>A reload (<c>update</c>) processed this service's definition; the new policy is passed alongside.</summary>
public sealed record DefinitionReloaded(DefinitionChange Change) : ServiceInput;

/// <summary>The definition is gone: stop gracefully and stay down; the shell forgets the service once it is at rest.</summary>
public sealed record DefinitionRemoved : ServiceInput;

/// <summary>What a reload did to one definition.</summary>
public enum DefinitionChange
{
    /// <summary>Loaded and identical: nothing to do (clears <c>outdated</c>).</summary>
    Unchanged,
    /// <summary>Loaded and different (including enable/disable): apply it (clears <c>outdated</c>).</summary>
    Modified,
    /// <summary>The new file is invalid; the last-known-good definition stays in force (sets <c>outdated</c>).</summary>
    KeptLastGood,
}
