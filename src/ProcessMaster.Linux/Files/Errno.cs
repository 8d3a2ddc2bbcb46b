using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Files;

/// <summary>The errno values file operations handle at the call site, and their text.</summary>
internal static class Errno
{
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int EAGAIN = 11;
    internal const int EPERM = 1;
    internal const int EEXIST = 17;
    internal const int ENOTDIR = 20;
    internal const int EFBIG = 27;
    internal const int ENOSPC = 28;
    internal const int ELOOP = 40;
    internal const int ENODATA = 61;
    internal const int EDQUOT = 122;

    /// <summary>"Permission denied (errno 13)" — the libc text plus the number an operator can look up.</summary>
    internal static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
