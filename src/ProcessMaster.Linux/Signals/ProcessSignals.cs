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
    /// The signals whose inherited SIG_IGN <see cref="RestoreIgnored"/> undoes. SIGCHLD: an ignored SIGCHLD makes the
    /// kernel reap every child itself (the daemon would lose every exit status: waitid answers ECHILD) and makes .NET
    /// reap all children with <c>waitpid(-1)</c>. SIGHUP, SIGUSR1, SIGTERM: .NET installs no handler for a signal that
    /// was ignored when the process started, so a daemon started under <c>nohup</c> (SIGHUP ignored) would take every
    /// reload as a silent no-op. SIGINT is left as inherited: a shell ignores it for background jobs on purpose.
    /// </summary>
    private static readonly (int Number, string Name)[] ControlSignals =
        [(Libc.SIGCHLD, "SIGCHLD"), (Libc.SIGHUP, "SIGHUP"), (Libc.SIGUSR1, "SIGUSR1"), (Libc.SIGTERM, "SIGTERM")];

    /// <summary>
    /// Puts each of <see cref="ControlSignals"/> back to its default disposition when the daemon was started with it
    /// ignored. Call it first thing, before any handler is registered.
    /// </summary>
    /// <returns>The names of the signals that were ignored and are now restored.</returns>
    public static IReadOnlyList<string> RestoreIgnored()
    {
        List<string> restored = [];
        foreach ((int number, string name) in ControlSignals)
        {
            Libc.SigAction old;
            if (Libc.Sigaction(number, null, &old) != 0) throw LinuxException.FromLastError("sigaction", name);
            if (old.sa_handler != Libc.SIG_IGN) continue;
            Libc.SigAction dfl = default;
            dfl.sa_handler = Libc.SIG_DFL;
            if (Libc.Sigaction(number, &dfl, null) != 0) throw LinuxException.FromLastError("sigaction", name);
            restored.Add(name);
        }
        return restored;
    }

    /// <summary>
    /// Unblocks every signal on the calling thread (sigprocmask SIG_SETMASK with an empty set). A process inherits its
    /// parent's blocked-signal mask across fork and exec: a daemon started from a thread that blocks SIGHUP (a test host,
    /// a shell wrapper, .NET's Process.Start restores the calling thread's mask in the child) would never see SIGHUP,
    /// SIGUSR1 or SIGTERM, and the operator's reload would silently do nothing. Call it first thing on the main thread,
    /// before any thread is created, so every thread the daemon starts inherits the empty mask.
    /// </summary>
    /// <returns>True when some signal was blocked and is now unblocked.</returns>
    public static bool UnblockAll()
    {
        ulong* empty = stackalloc ulong[16];
        ulong* old = stackalloc ulong[16];
        new Span<ulong>(empty, 16).Clear();
        if (Libc.Sigprocmask(Libc.SIG_SETMASK, empty, old) != 0) throw LinuxException.FromLastError("sigprocmask", "SIG_SETMASK");
        return new ReadOnlySpan<ulong>(old, 16).ContainsAnyExcept(0UL);
    }
}
