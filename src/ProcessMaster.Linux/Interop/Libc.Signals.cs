using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>sigaction(2), sigprocmask(2), kill(2).</summary>
internal static unsafe partial class Libc
{
    internal const int SIGHUP = 1;
    internal const int SIGKILL = 9;
    internal const int SIGUSR1 = 10;
    internal const int SIGPIPE = 13;
    internal const int SIGTERM = 15;
    internal const int SIGCHLD = 17;
    internal const int SIGSTOP = 19;

    /// <summary>One more than the highest signal number (glibc _NSIG).</summary>
    internal const int NSIG = 65;

    internal const int SIG_SETMASK = 2;
    internal const nint SIG_DFL = 0;
    internal const nint SIG_IGN = 1;

    /// <summary>glibc struct sigaction (x86-64): handler, 128-byte sa_mask, sa_flags, sa_restorer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SigAction
    {
        internal nint sa_handler;
        internal fixed ulong sa_mask[16];
        internal int sa_flags;
        internal nint sa_restorer;
    }

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    internal static partial int Sigaction(int signum, SigAction* act, SigAction* oldact);

    /// <summary>sigprocmask(2) with glibc's 128-byte sigset_t.</summary>
    [LibraryImport("libc", EntryPoint = "sigprocmask", SetLastError = true)]
    internal static partial int Sigprocmask(int how, ulong* set, ulong* oldset);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int sig);
}
