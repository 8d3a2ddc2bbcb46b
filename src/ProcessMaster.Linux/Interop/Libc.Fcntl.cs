using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>fcntl(2) on an owned handle, lseek(2) and pread(2).</summary>
internal static partial class Libc
{
    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;

    internal const int SEEK_SET = 0;
    internal const int SEEK_END = 2;

    /// <summary>fcntl(2) on an owned handle (the one binding, on a raw fd, is in Libc.Files.cs).</summary>
    internal static int Fcntl(SafeHandle fd, int cmd, int arg)
    {
        int raw = AddRef(fd);
        try
        {
            return Fcntl(raw, cmd, arg);
        }
        finally
        {
            fd.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    internal static unsafe partial nint Pread(SafeHandle fd, byte* buf, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    internal static partial long Lseek(SafeHandle fd, long offset, int whence);
}
