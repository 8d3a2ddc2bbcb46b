using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>lchown(2), fchownat(2): change the owner of a path without following a final symlink.</summary>
internal static partial class Libc
{
    /// <summary>(uid_t)-1 / (gid_t)-1: leave that id unchanged.</summary>
    internal const uint IdUnchanged = uint.MaxValue;

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Lchown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Fchownat(SafeHandle dirfd, string path, uint owner, uint group, int flags);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    internal static partial int Fchown(SafeHandle fd, uint owner, uint group);
}
