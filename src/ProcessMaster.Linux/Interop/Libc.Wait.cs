using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>waitpid(2), waitid(2), prctl(2) for PR_SET_CHILD_SUBREAPER, getrlimit(2), setrlimit(2).</summary>
internal static partial class Libc
{
    internal const int WNOHANG = 1;
    internal const int WEXITED = 4;
    internal const int P_PIDFD = 3;

    /// <summary>si_code of a child that called exit (CLD_EXITED); CLD_KILLED = 2, CLD_DUMPED = 3.</summary>
    internal const int CLD_EXITED = 1;

    /// <summary>sizeof(siginfo_t).</summary>
    internal const int SizeOfSiginfo = 128;

    /// <summary>Offsets in siginfo_t (x86-64) of si_code, si_pid and si_status for SIGCHLD.</summary>
    internal const int OffsetOfSiCode = 8;
    internal const int OffsetOfSiPid = 16;
    internal const int OffsetOfSiStatus = 24;

    internal const int RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    internal struct RLimit
    {
        internal ulong Current;
        internal ulong Maximum;
    }

    internal const int PR_SET_CHILD_SUBREAPER = 36;
    internal const int PR_GET_CHILD_SUBREAPER = 37;

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    internal static unsafe partial int WaitPid(int pid, int* wstatus, int options);

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    internal static unsafe partial int Waitid(int idtype, int id, byte* infop, int options);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    internal static unsafe partial int GetRLimit(int resource, RLimit* limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    internal static unsafe partial int SetRLimit(int resource, RLimit* limit);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    internal static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
