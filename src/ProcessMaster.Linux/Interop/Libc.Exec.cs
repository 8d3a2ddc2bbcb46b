using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>execve(2), chdir(2), setsid(2), getpid(2), close_range(2), access(2).</summary>
internal static unsafe partial class Libc
{
    internal const uint CLOSE_RANGE_CLOEXEC = 1u << 2;
    internal const int X_OK = 1;

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true)]
    internal static partial int Execve(byte* path, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "chdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chdir(string path);

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    internal static partial int Setsid();

    [LibraryImport("libc", EntryPoint = "getpid")]
    internal static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "getsid", SetLastError = true)]
    internal static partial int GetSid(int pid);

    [LibraryImport("libc", EntryPoint = "close_range", SetLastError = true)]
    internal static partial int CloseRange(uint first, uint last, uint flags);
}
