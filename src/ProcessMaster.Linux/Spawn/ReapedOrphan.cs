namespace ProcessMaster.Linux.Spawn;

/// <summary>An orphan (a process re-parented to the daemon) that <see cref="OrphanReaper"/> reaped.</summary>
/// <param name="Pid">Its pid.</param>
/// <param name="ExitCode">Exit code when it exited normally.</param>
/// <param name="Signal">Terminating signal when it was killed.</param>
public sealed record ReapedOrphan(int Pid, int? ExitCode, int? Signal);
