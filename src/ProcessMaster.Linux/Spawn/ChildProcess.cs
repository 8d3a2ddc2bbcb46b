using System.Globalization;
using System.Runtime.InteropServices;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// A child the <see cref="Spawner"/> started, with the pidfd clone returned for it. The daemon reaps it itself:
/// the <see cref="Watchers.KernelEventWatcher"/> polls the pidfd and, once it is readable, calls
/// <c>waitid(P_PIDFD, WEXITED)</c>; <see cref="Exit"/> then completes (never on the watcher thread) and the pid
/// leaves the <see cref="ChildProcessRegistry"/>, so the <see cref="OrphanReaper"/> never takes its status.
/// </summary>
public sealed class ChildProcess
{
    private readonly TaskCompletionSource<ExitStatus> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ChildProcessRegistry _registry;

    internal ChildProcess(int pid, SafeFdHandle pidfd, ChildProcessRegistry registry, int? keeperPid = null)
    {
        Pid = pid;
        KeeperPid = keeperPid;
        Pidfd = pidfd;
        _registry = registry;
    }

    /// <summary>The program's pid (unchanged by exec).</summary>
    public int Pid { get; }

    /// <summary>
    /// The exit keeper, when the program runs under one (<see cref="SpawnRequest.ExitRecords"/>): the daemon's child,
    /// the program's parent. It ends with the program's exit status, so <see cref="Exit"/> is the program's status.
    /// </summary>
    public int? KeeperPid { get; }

    /// <summary>The daemon's own child, the one reaped: the keeper, or the program itself.</summary>
    internal int ReapedPid => KeeperPid ?? Pid;

    /// <summary>
    /// Completes with the exit status once the child is reaped. Faults with a <see cref="LinuxException"/>
    /// (ECHILD) only if someone else collected the status, which the daemon prevents.
    /// </summary>
    public Task<ExitStatus> Exit => _exit.Task;

    /// <summary>The pidfd (CLOEXEC); closed once the child is reaped.</summary>
    internal SafeFdHandle Pidfd { get; }

    /// <summary>Reaps the child without blocking; false while it still runs.</summary>
    internal unsafe bool TryReap()
    {
        byte* info = stackalloc byte[Libc.SizeOfSiginfo];
        new Span<byte>(info, Libc.SizeOfSiginfo).Clear();
        bool added = false;
        int rc;
        int errno = 0;
        try
        {
            Pidfd.DangerousAddRef(ref added);
            rc = Libc.Waitid(Libc.P_PIDFD, Pidfd.Fd, info, Libc.WEXITED | Libc.WNOHANG);
            if (rc != 0) errno = Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added) Pidfd.DangerousRelease();
        }

        if (rc != 0)
        {
            if (errno == (int)Errno.EINTR) return false;
            Finish();
            _exit.TrySetException(new LinuxException("waitid", (Errno)errno, $"pid {ReapedPid.ToString(CultureInfo.InvariantCulture)}",
                "its exit status was collected elsewhere; it is no longer running"));
            return true;
        }

        if (*(int*)(info + Libc.OffsetOfSiPid) == 0) return false; // not exited yet
        int code = *(int*)(info + Libc.OffsetOfSiCode);
        int status = *(int*)(info + Libc.OffsetOfSiStatus);
        Finish();
        _exit.TrySetResult(code == Libc.CLD_EXITED ? ExitStatus.Exited(status) : ExitStatus.Killed(status));
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => "pid " + Pid.ToString(CultureInfo.InvariantCulture);

    private void Finish()
    {
        // After the reap, never before: until then the OrphanReaper must keep away from this zombie.
        _registry.Forget(ReapedPid);
        Pidfd.Dispose();
    }
}
