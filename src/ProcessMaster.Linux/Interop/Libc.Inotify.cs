using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>inotify_init1(2), inotify_add_watch(2), inotify_rm_watch(2).</summary>
internal static partial class Libc
{
    internal const int IN_NONBLOCK = O_NONBLOCK;
    internal const int IN_CLOEXEC = O_CLOEXEC;
    internal const uint IN_MODIFY = 0x00000002;
    internal const uint IN_ATTRIB = 0x00000004;
    internal const uint IN_MOVED_FROM = 0x00000040;
    internal const uint IN_MOVED_TO = 0x00000080;
    internal const uint IN_CREATE = 0x00000100;
    internal const uint IN_DELETE = 0x00000200;
    internal const uint IN_DELETE_SELF = 0x00000400;
    internal const uint IN_MOVE_SELF = 0x00000800;
    internal const uint IN_Q_OVERFLOW = 0x00004000;
    internal const uint IN_IGNORED = 0x00008000;

    /// <summary>Size of struct inotify_event without its name.</summary>
    internal const int SizeOfInotifyEvent = 16;

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    internal static partial int InotifyInit1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int InotifyAddWatch(SafeHandle fd, string pathname, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    internal static partial int InotifyRmWatch(SafeHandle fd, int wd);
}
