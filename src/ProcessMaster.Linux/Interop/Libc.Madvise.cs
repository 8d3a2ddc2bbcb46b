using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>madvise(2).</summary>
internal static partial class Libc
{
    internal const int MADV_DONTNEED = 4;

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    internal static partial int Madvise(nint address, nuint length, int advice);
}
