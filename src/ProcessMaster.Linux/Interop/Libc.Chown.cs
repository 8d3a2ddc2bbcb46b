using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>fchownat(2), lchown(2) and chmod(2): ownership and mode changes that never follow a symlink when used as documented.</summary>
internal static partial class Libc
{
    /// <summary>The <c>(uid_t)-1</c> / <c>(gid_t)-1</c> argument of chown(2): leave this id unchanged.</summary>
    internal const uint ChownUnchanged = uint.MaxValue;

    /// <summary>
    /// fchownat(2). With <see cref="AT_SYMLINK_NOFOLLOW"/> a symlink itself is changed (lchown semantics);
    /// with <see cref="AT_EMPTY_PATH"/> and an empty path, the file <paramref name="dirfd"/> refers to.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int FchownAt(SafeHandle dirfd, string path, uint owner, uint group, int flags);

    /// <summary>lchown(2): change the owner of a path without following a final symlink.</summary>
    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Lchown(string path, uint owner, uint group);

    /// <summary>chmod(2); used on <c>/proc/self/fd/N</c> of an O_PATH descriptor, which names that inode and nothing else.</summary>
    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chmod(string path, uint mode);
}
