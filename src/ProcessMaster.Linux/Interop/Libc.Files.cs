using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>
/// open(2), openat(2), close(2), read(2), write(2), umask(2), dup2(2), fcntl(2), mkdirat(2), unlinkat(2), fstatfs(2). Each function is bound once; the overloads on a <see cref="SafeHandle"/> keep the handle alive around
/// the raw call (as the generated marshaller does).
/// </summary>
internal static unsafe partial class Libc
{
    internal const int O_RDONLY = 0x0;
    internal const int O_WRONLY = 0x1;
    internal const int O_RDWR = 0x2;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    internal const int O_NOCTTY = 0x100;
    internal const int O_TRUNC = 0x200;
    internal const int O_APPEND = 0x400;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_NOFOLLOW = 0x20000;
    internal const int O_CLOEXEC = 0x80000;

    internal const int AT_FDCWD = -100;
    internal const int AT_REMOVEDIR = 0x200;

    internal const int F_GETFD = 1;
    internal const int F_DUPFD_CLOEXEC = 1030;
    internal const int FD_CLOEXEC = 1;

    /// <summary>statfs f_type of a cgroup v2 file system (linux/magic.h).</summary>
    internal const long CGROUP2_SUPER_MAGIC = 0x63677270;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OpenAtFd(int dirfd, string path, int flags, uint mode);

    /// <summary>openat(2) relative to an owned directory handle; returns the new fd or -1.</summary>
    internal static int OpenAt(SafeHandle dirfd, string path, int flags, uint mode)
    {
        int raw = AddRef(dirfd);
        try
        {
            return OpenAtFd(raw, path, flags, mode);
        }
        finally
        {
            dirfd.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buf, nint count);

    /// <summary>read(2) on an owned handle.</summary>
    internal static nint Read(SafeHandle fd, byte* buf, nint count)
    {
        int raw = AddRef(fd);
        try
        {
            return Read(raw, buf, count);
        }
        finally
        {
            fd.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buf, nint count);

    /// <summary>write(2) on an owned handle.</summary>
    internal static nint Write(SafeHandle fd, byte* buf, nint count)
    {
        int raw = AddRef(fd);
        try
        {
            return Write(raw, buf, count);
        }
        finally
        {
            fd.DangerousRelease();
        }
    }

    /// <summary>Keeps <paramref name="handle"/> open (until <see cref="SafeHandle.DangerousRelease"/>) and returns its fd.</summary>
    private static int AddRef(SafeHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        return (int)handle.DangerousGetHandle();
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    internal static partial uint Umask(uint mask);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(int oldfd, int newfd);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MkdirAt(SafeHandle dirfd, string path, uint mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int UnlinkAt(SafeHandle dirfd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "rmdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Rmdir(string path);

    /// <summary>fstatfs(2); <paramref name="buf"/> must hold a struct statfs (120 bytes on x86-64; f_type is the first long).</summary>
    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    internal static partial int Fstatfs(SafeHandle fd, byte* buf);

    internal const uint S_IFMT = 0xF000;
    internal const uint S_IFIFO = 0x1000;
    internal const uint S_IFREG = 0x8000;

    /// <summary>Size of struct stat on x86-64, rounded up.</summary>
    internal const int SizeOfStat = 160;

    /// <summary>Offset of st_mode in struct stat on x86-64 (after st_dev, st_ino, st_nlink).</summary>
    internal const int OffsetOfStMode = 24;

    /// <summary>fstat(2); <paramref name="buf"/> must hold a struct stat (<see cref="SizeOfStat"/> bytes).</summary>
    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    internal static partial int Fstat(int fd, byte* buf);

    /// <summary>Size of struct statfs on x86-64, rounded up.</summary>
    internal const int SizeOfStatfs = 128;
}
