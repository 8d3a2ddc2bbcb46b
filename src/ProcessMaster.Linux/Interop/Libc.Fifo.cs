using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>mkfifoat(3) and the pipe-size fcntl(2) commands.</summary>
internal static partial class Libc
{
    internal const int F_SETPIPE_SZ = 1031;
    internal const int F_GETPIPE_SZ = 1032;

    [LibraryImport("libc", EntryPoint = "mkfifoat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MkfifoAt(SafeHandle dirfd, string pathname, uint mode);
}
