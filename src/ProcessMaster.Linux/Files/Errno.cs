using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Files;

/// <summary>The errno values file operations handle at the call site, and their text.</summary>
internal static class Errno
{
    internal const int ENOENT = 2;
    internal const int EEXIST = 17;
    internal const int ELOOP = 40;

    /// <summary>"Permission denied (errno 13)" — the libc text plus the number an operator can look up.</summary>
    internal static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
