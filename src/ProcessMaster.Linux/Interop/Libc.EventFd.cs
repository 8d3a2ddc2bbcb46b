using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>eventfd(2).</summary>
internal static partial class Libc
{
    internal const int EFD_NONBLOCK = O_NONBLOCK;
    internal const int EFD_CLOEXEC = O_CLOEXEC;

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initval, int flags);
}
