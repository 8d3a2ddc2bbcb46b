using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>waitpid(2), prctl(2) for PR_SET_CHILD_SUBREAPER.</summary>
internal static partial class Libc
{
    internal const int WNOHANG = 1;

    internal const int PR_SET_CHILD_SUBREAPER = 36;
    internal const int PR_GET_CHILD_SUBREAPER = 37;

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    internal static unsafe partial int WaitPid(int pid, int* wstatus, int options);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    internal static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
