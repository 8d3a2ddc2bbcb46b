using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>pidfd_open(2), pidfd_send_signal(2).</summary>
internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "pidfd_open", SetLastError = true)]
    internal static partial int PidfdOpen(int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "pidfd_send_signal", SetLastError = true)]
    internal static partial int PidfdSendSignal(SafeHandle pidfd, int sig, nint info, uint flags);
}
