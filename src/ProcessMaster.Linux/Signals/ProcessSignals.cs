using System.Runtime.InteropServices;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Signals;

/// <summary>Sending signals to single processes (the daemon signals only pids it read from a service's cgroup).</summary>
public static unsafe class ProcessSignals
{
    private const int ESRCH = 3;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>. False when the process is already gone (ESRCH);
    /// any other failure throws.</summary>
    public static bool TrySend(int pid, int signal)
    {
        if (pid <= 0) throw new ArgumentOutOfRangeException(nameof(pid), pid, "refusing to signal a process group or every process");
        if (Libc.Kill(pid, signal) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == ESRCH) return false;
        throw new LinuxException("kill", errno, $"pid {pid}");
    }

    /// <summary>
    /// Puts SIGCHLD back to its default disposition when the daemon was started with it ignored. An ignored SIGCHLD
    /// makes the kernel reap every child itself (the daemon would lose every exit status: waitid answers ECHILD) and
    /// makes .NET reap all children with <c>waitpid(-1)</c>. Call it first thing, before .NET installs its handlers.
    /// </summary>
    /// <returns>True when it was ignored and is now restored.</returns>
    public static bool RestoreChildSignal()
    {
        Libc.SigAction old;
        if (Libc.Sigaction(Libc.SIGCHLD, null, &old) != 0) throw LinuxException.FromLastError("sigaction", "SIGCHLD");
        if (old.sa_handler != Libc.SIG_IGN) return false;
        Libc.SigAction dfl = default;
        dfl.sa_handler = Libc.SIG_DFL;
        if (Libc.Sigaction(Libc.SIGCHLD, &dfl, null) != 0) throw LinuxException.FromLastError("sigaction", "SIGCHLD");
        return true;
    }
}
