using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ProcessMaster.Linux.Interop;

/// <summary>
/// poll(2), eventfd(2), inotify(7), read(2)/write(2) and geteuid(2) for log capture and following.
/// Kept in their own class, not <c>Libc</c>, because the Linux-layer branch adds Libc.Poll, Libc.Inotify,
/// Libc.EventFd and Libc.Files with the same macro names: fold these into those files when both land.
/// </summary>
internal static unsafe partial class LogsLibc
{
    internal const short POLLIN = 0x001;
    internal const short POLLERR = 0x008;
    internal const short POLLHUP = 0x010;

    internal const int EFD_CLOEXEC = 0x80000;
    internal const int EFD_NONBLOCK = 0x800;

    internal const int IN_CLOEXEC = 0x80000;
    internal const int IN_NONBLOCK = 0x800;
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

    /// <summary>sizeof(struct inotify_event) without its name.</summary>
    internal const int SizeOfInotifyEvent = 16;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        internal int Fd;
        internal short Events;
        internal short REvents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    internal static partial SafeFileHandle EventFd(uint initval, int flags);

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    internal static partial SafeFileHandle InotifyInit1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int InotifyAddWatch(SafeFileHandle fd, string pathname, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    internal static partial int InotifyRmWatch(SafeFileHandle fd, int wd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(SafeFileHandle fd, byte* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(SafeFileHandle fd, byte* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint Geteuid();
}
