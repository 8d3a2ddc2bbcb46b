using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>splice(2), tee(2), pipe2(2): moving pipe data inside the kernel.</summary>
internal static unsafe partial class Libc
{
    internal const uint SPLICE_F_MOVE = 0x1;
    internal const uint SPLICE_F_NONBLOCK = 0x2;

    [LibraryImport("libc", EntryPoint = "splice", SetLastError = true)]
    internal static partial nint Splice(SafeHandle fdIn, long* offIn, SafeHandle fdOut, long* offOut, nuint len, uint flags);

    [LibraryImport("libc", EntryPoint = "tee", SetLastError = true)]
    internal static partial nint Tee(SafeHandle fdIn, SafeHandle fdOut, nuint len, uint flags);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int Pipe2(int* pipefd, int flags);
}
