using System.Runtime.InteropServices;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Files;

/// <summary>Walking, creating and opening entries for writers that run as root in a service's directory.</summary>
public sealed partial class ConfinedDirectory
{
    private const uint StatMask = Libc.STATX_TYPE | Libc.STATX_MODE | Libc.STATX_NLINK | Libc.STATX_UID | Libc.STATX_GID
        | Libc.STATX_MTIME | Libc.STATX_INO | Libc.STATX_SIZE | Libc.STATX_MNT_ID;

    /// <summary>The directory fd, for *at calls and inotify through /proc/self/fd.</summary>
    internal SafeFdHandle Handle => _fd;

    /// <summary>A second, independent handle on the same directory (it stays valid if this one is disposed).</summary>
    public ConfinedDirectory Reopen()
    {
        Errno errno = SafeFdHandle.TryOpenAt(_fd, ".", Libc.O_RDONLY | Libc.O_DIRECTORY, out SafeFdHandle fd);
        return errno == Errno.None ? new ConfinedDirectory(fd, Path) : throw FileError("reopen directory", Path, errno);
    }

    /// <summary>
    /// Opens the child directory <paramref name="name"/>, creating it with <paramref name="mode"/> (umask
    /// ignored) when missing. A symlink in its place is refused with <see cref="UnsafePathException"/>.
    /// </summary>
    public ConfinedDirectory OpenOrCreateDirectory(string name, uint mode) => OpenOrCreateDirectory(name, mode, null);

    /// <summary>
    /// Like <see cref="OpenOrCreateDirectory(string, uint)"/>; a directory it creates is then given to
    /// <paramref name="owner"/> (fchown through the new descriptor). An existing directory keeps its owner.
    /// </summary>
    public ConfinedDirectory OpenOrCreateDirectory(string name, uint mode, (uint Uid, uint Gid)? owner)
    {
        string child = Child(name);
        bool created = Libc.MkdirAt(_fd, name, mode) == 0;
        if (!created)
        {
            var errno = (Errno)Marshal.GetLastPInvokeError();
            if (errno != Errno.EEXIST) throw FileError("create directory", child, errno);
        }
        SafeFdHandle fd = OpenChildDirectory(name, child);
        var directory = new ConfinedDirectory(fd, child);
        try
        {
            if (created && Libc.Fchmod(fd, mode) != 0) throw LastError("chmod", child);
            if (created && owner is { } o) directory.ChangeOwner(o.Uid, o.Gid);
            return directory;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Walks <paramref name="names"/> down from here, one component at a time, never following a symlink.</summary>
    public ConfinedDirectory OpenDescendant(IReadOnlyList<string> names, bool create, uint mode) => OpenDescendant(names, create, mode, null);

    /// <summary>
    /// Walks <paramref name="names"/> down from here, one component at a time, never following a symlink; with
    /// <paramref name="create"/>, missing directories are created with <paramref name="mode"/> and given to
    /// <paramref name="owner"/> when set.
    /// </summary>
    public ConfinedDirectory OpenDescendant(IReadOnlyList<string> names, bool create, uint mode, (uint Uid, uint Gid)? owner)
    {
        ConfinedDirectory current = Reopen();
        foreach (string name in names)
        {
            using ConfinedDirectory parent = current;
            current = create ? parent.OpenOrCreateDirectory(name, mode, owner) : parent.OpenDirectory(name);
        }
        return current;
    }

    /// <summary>
    /// Opens (creating with <paramref name="mode"/> if missing) a regular file for appending, without following a
    /// symlink: the descriptor to hand a child as its stdout or stderr (O_APPEND, blocking). A FIFO, device or
    /// directory in its place, or a file with more than one hard link, is refused with
    /// <see cref="UnsafePathException"/>; the mode is forced to <paramref name="mode"/>.
    /// </summary>
    public SafeFdHandle OpenAppendFile(string name, uint mode)
    {
        SafeFdHandle fd = OpenWritable(name, Libc.O_WRONLY | Libc.O_APPEND, mode);
        // O_NONBLOCK only kept a planted FIFO from blocking the open; the writer must block normally.
        if (Libc.Fcntl(fd, Libc.F_SETFL, Libc.O_APPEND) == 0) return fd;
        LinuxException error = LastError("fcntl", Child(name));
        fd.Dispose();
        throw error;
    }

    /// <summary>
    /// Opens (creating with <paramref name="mode"/> if missing) a regular file for reading and writing,
    /// without following a symlink. A FIFO, device or directory in its place, or a file with more than one
    /// hard link, is refused with <see cref="UnsafePathException"/>; the mode is forced to <paramref name="mode"/>.
    /// </summary>
    public SafeFdHandle OpenWritableFile(string name, uint mode) => OpenWritable(name, Libc.O_RDWR, mode);

    /// <summary>The checks both writable opens share: a regular file with one link, its mode forced.</summary>
    private SafeFdHandle OpenWritable(string name, int access, uint mode)
    {
        string child = Child(name);
        SafeFdHandle fd = OpenNoFollow(name, access | Libc.O_CREAT | Libc.O_NONBLOCK | Libc.O_NOCTTY, mode, "open");
        try
        {
            EntryStatus status = StatOf(fd, child);
            if (status.Kind != EntryKind.File)
                throw new UnsafePathException($"{child}: is not a regular file ({status.Kind}); refusing to write to it");
            if (status.LinkCount != 1)
                throw new UnsafePathException($"{child}: has {status.LinkCount} hard links; refusing to write to a file that may be linked elsewhere");
            if (status.Mode != mode && Libc.Fchmod(fd, mode) != 0)
                throw LastError("chmod", child);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Opens a regular file read-only without following a symlink; anything else is refused.</summary>
    public SafeFdHandle OpenRegularFileForReading(string name)
    {
        string child = Child(name);
        SafeFdHandle fd = OpenNoFollow(name, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_NOCTTY, 0, "open");
        EntryKind kind = StatOf(fd, child).Kind;
        if (kind == EntryKind.File) return fd;
        fd.Dispose();
        throw new UnsafePathException($"{child}: is not a regular file ({kind}); refusing to read it");
    }

    /// <summary>Creates a new file (O_EXCL, never through a symlink) with exactly <paramref name="mode"/>.</summary>
    public SafeFdHandle CreateNewFile(string name, uint mode)
    {
        SafeFdHandle fd = OpenNoFollow(name, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL, mode, "create");
        if (Libc.Fchmod(fd, mode) == 0) return fd;
        var errno = (Errno)Marshal.GetLastPInvokeError();
        fd.Dispose();
        _ = Libc.UnlinkAt(_fd, name, 0);
        throw FileError("chmod", Child(name), errno);
    }

    /// <summary>What <paramref name="name"/> is (not following a symlink); null when it does not exist.</summary>
    public unsafe EntryStatus? Stat(string name)
    {
        string child = Child(name);
        Libc.StatxBuffer buf;
        if (Libc.Statx(_fd, name, Libc.AT_SYMLINK_NOFOLLOW, StatMask, &buf) == 0) return ToStatus(buf);
        var errno = (Errno)Marshal.GetLastPInvokeError();
        if (errno == Errno.ENOENT) return null;
        throw FileError("stat", child, errno);
    }

    /// <summary>
    /// The extended attribute <paramref name="attribute"/> of the regular file <paramref name="name"/> (opened
    /// O_NOFOLLOW, read-only); null when the file has no such attribute.
    /// </summary>
    public unsafe byte[]? ReadExtendedAttribute(string name, string attribute)
    {
        string child = Child(name);
        using SafeFdHandle fd = OpenRegularFileForReading(name);
        byte[] buffer = new byte[256];
        nint n;
        fixed (byte* p = buffer)
        {
            n = Libc.FGetXattr(fd, attribute, p, (nuint)buffer.Length);
        }

        if (n >= 0) return buffer.AsSpan(0, (int)n).ToArray();
        var errno = (Errno)Marshal.GetLastPInvokeError();
        return errno == Errno.ENODATA ? null : throw FileError($"getxattr {attribute}", child, errno);
    }

    /// <summary>What this directory itself is (fstat of its descriptor).</summary>
    public EntryStatus Status() => StatOf(_fd, Path);

    /// <summary>fstat of an open file; <paramref name="subject"/> names it in errors.</summary>
    public static unsafe EntryStatus StatOf(SafeFdHandle fd, string subject)
    {
        Libc.StatxBuffer buf;
        if (Libc.Statx(fd, "", Libc.AT_EMPTY_PATH, StatMask, &buf) != 0)
            throw LastError("stat", subject);
        return ToStatus(buf);
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>; false when <paramref name="from"/> does not exist.</summary>
    public bool TryRename(string from, string to)
    {
        Child(to);
        if (Libc.RenameAt(_fd, from, _fd, to) == 0) return true;
        var errno = (Errno)Marshal.GetLastPInvokeError();
        if (errno == Errno.ENOENT) return false;
        throw FileError("rename", Child(from), errno);
    }

    /// <summary>The full path of the child <paramref name="name"/> (for messages).</summary>
    public string PathOf(string name) => Child(name);

    private static EntryStatus ToStatus(in Libc.StatxBuffer buf) => new(
        (buf.Mode & Libc.S_IFMT) switch
        {
            Libc.S_IFREG => EntryKind.File,
            Libc.S_IFDIR => EntryKind.Directory,
            Libc.S_IFLNK => EntryKind.Symlink,
            _ => EntryKind.Other,
        },
        buf.Ino, (long)buf.Size, buf.Nlink, buf.Uid, buf.Mode & UnixMode.PermissionMask,
        DateTimeOffset.FromUnixTimeSeconds(buf.MtimeSec).AddTicks(buf.MtimeNsec / 100))
    {
        Gid = buf.Gid,
        Device = (buf.DevMajor, buf.DevMinor),
        MountId = (buf.Mask & Libc.STATX_MNT_ID) != 0 ? buf.MountId : 0,
    };
}
