using System.Runtime.InteropServices;
using System.Text;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Files;

/// <summary>
/// An open directory whose operations never follow a symlink planted inside it. The daemon runs as root
/// and services may not: every file it reads or writes inside a directory a service can write to goes
/// through here. Names are single path components (no '/', not '.' or '..'); files are opened with
/// <c>openat(dirfd, name, O_NOFOLLOW)</c>, so the check and the use are one step (no TOCTOU window).
/// </summary>
public sealed partial class ConfinedDirectory : IDisposable
{
    private readonly SafeFdHandle _fd;

    private ConfinedDirectory(SafeFdHandle fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    /// <summary>The path this directory was opened by (for messages).</summary>
    public string Path { get; }

    /// <summary>
    /// Opens <paramref name="path"/> as a directory. The last component must not be a symlink; the
    /// components above it belong to the operator (configuration) and are resolved normally.
    /// </summary>
    public static ConfinedDirectory Open(string path)
    {
        Errno errno = SafeFdHandle.TryOpen(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW, out SafeFdHandle fd);
        if (errno != Errno.None) throw FileError("open directory", path, errno);
        return new ConfinedDirectory(fd, path);
    }

    /// <summary>
    /// Opens the child directory <paramref name="name"/> without following a symlink; a symlink in its place is
    /// refused with <see cref="UnsafePathException"/>.
    /// </summary>
    public ConfinedDirectory OpenDirectory(string name)
    {
        string child = Child(name);
        return new ConfinedDirectory(OpenChildDirectory(name, child), child);
    }

    /// <summary>What <paramref name="name"/> is, without following a symlink; <see cref="EntryKind.Missing"/> if absent.</summary>
    public unsafe EntryKind KindOf(string name)
    {
        string child = Child(name);
        Libc.StatxBuffer buf;
        if (Libc.Statx(_fd, name, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_TYPE, &buf) != 0)
        {
            var errno = (Errno)Marshal.GetLastPInvokeError();
            if (errno == Errno.ENOENT) return EntryKind.Missing;
            throw FileError("stat", child, errno);
        }
        return (buf.Mode & Libc.S_IFMT) switch
        {
            Libc.S_IFREG => EntryKind.File,
            Libc.S_IFDIR => EntryKind.Directory,
            Libc.S_IFLNK => EntryKind.Symlink,
            _ => EntryKind.Other,
        };
    }

    /// <summary>
    /// Reads a regular file of at most <paramref name="maxBytes"/> bytes. A symlink, FIFO, device or
    /// directory is refused (a FIFO is never opened for blocking read), and so is a file over the cap.
    /// </summary>
    public byte[] ReadRegularFile(string name, int maxBytes) => ReadRegularFile(name, maxBytes, out _);

    /// <summary>
    /// <see cref="ReadRegularFile(string, int)"/>, also giving what the file was (owner, mode) as seen on the very
    /// descriptor the content was read from, so a trust decision about it cannot be raced.
    /// </summary>
    public byte[] ReadRegularFile(string name, int maxBytes, out EntryStatus status)
    {
        string child = Child(name);
        using SafeFdHandle fd = OpenNoFollow(name, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_NOCTTY, 0, "open");
        status = StatOf(fd, child);
        if (status.Kind != EntryKind.File)
            throw new IOException($"{child}: not a regular file; refusing to read it");
        if (status.Size > maxBytes)
            throw new IOException($"{child}: {status.Size} bytes is over the {maxBytes}-byte limit");
        using FileStream stream = fd.ToStream(FileAccess.Read, bufferSize: 0);
        var content = new byte[maxBytes + 1];
        int total = 0, n;
        while (total < content.Length && (n = stream.Read(content, total, content.Length - total)) > 0) total += n;
        if (total > maxBytes)
            throw new IOException($"{child}: grew past the {maxBytes}-byte limit while being read");
        return content.AsSpan(0, total).ToArray();
    }

    /// <summary>Reads a regular file as UTF-8 text (see <see cref="ReadRegularFile"/>).</summary>
    public string ReadText(string name, int maxBytes) => Encoding.UTF8.GetString(ReadRegularFile(name, maxBytes));

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="name"/> atomically: a new temporary file
    /// (O_CREAT|O_EXCL|O_NOFOLLOW, so nothing planted is written through), fsync, rename over the target, then fsync
    /// of the directory: the new content is on disk when this returns.
    /// With <paramref name="overwrite"/> false an existing entry (of any kind) is left alone and false is returned.
    /// </summary>
    public bool WriteAtomically(string name, ReadOnlySpan<byte> content, uint mode, bool overwrite)
    {
        string child = Child(name);
        if (!overwrite && KindOf(name) != EntryKind.Missing) return false;
        string temp = $".{name}.{Environment.ProcessId}.{Random.Shared.Next():x8}.tmp";
        using (SafeFdHandle fd = OpenNoFollow(temp, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL, mode, "create"))
        {
            try
            {
                if (Libc.Fchmod(fd, mode) != 0) throw LastError("chmod", Child(temp));
                if (Libc.Fsync(WriteAll(fd, content, Child(temp))) != 0) throw LastError("fsync", Child(temp));
            }
            catch
            {
                _ = Libc.UnlinkAt(_fd, temp, 0);
                throw;
            }
        }
        if (!overwrite && KindOf(name) != EntryKind.Missing)
        {
            _ = Libc.UnlinkAt(_fd, temp, 0);
            return false;
        }
        if (Libc.RenameAt(_fd, temp, _fd, name) != 0)
        {
            var errno = (Errno)Marshal.GetLastPInvokeError();
            _ = Libc.UnlinkAt(_fd, temp, 0);
            throw FileError("rename", child, errno);
        }
        // The rename is on disk only once the directory is: without this a power loss or crash of the host can bring the
        // old file back after the caller was told the new one was written.
        if (Libc.Fsync(_fd) != 0) throw LastError("fsync", Path);
        return true;
    }

    /// <summary>Renames an entry inside this directory (a symlink is renamed, never followed).</summary>
    public void Rename(string from, string to)
    {
        Child(to);
        if (Libc.RenameAt(_fd, from, _fd, to) != 0) throw LastError("rename", Child(from));
    }

    /// <summary>Removes a non-directory entry; a missing entry is not an error.</summary>
    public void Delete(string name)
    {
        if (Libc.UnlinkAt(_fd, name, 0) != 0)
        {
            var errno = (Errno)Marshal.GetLastPInvokeError();
            if (errno != Errno.ENOENT) throw FileError("unlink", Child(name), errno);
        }
    }

    /// <summary>The names of the direct entries, in ordinal order.</summary>
    public IReadOnlyList<string> List()
    {
        // Enumerate the directory the fd holds (through /proc/self/fd), not whatever Path names now: a
        // directory swapped for a symlink after opening is never listed. Entries are then used relative to the fd.
        var names = new List<string>();
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            string self = $"/proc/self/fd/{_fd.Fd}";
            foreach (string entry in Directory.EnumerateFileSystemEntries(self))
                names.Add(System.IO.Path.GetFileName(entry));
        }
        finally
        {
            if (added) _fd.DangerousRelease();
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <inheritdoc/>
    public void Dispose() => _fd.Dispose();

    private SafeFdHandle OpenNoFollow(string name, int flags, uint mode, string what)
    {
        Errno errno = SafeFdHandle.TryOpenAt(_fd, name, flags, out SafeFdHandle fd, mode);
        if (errno == Errno.None) return fd;
        throw errno == Errno.ELOOP
            ? new UnsafePathException($"{Child(name)}: is a symlink; refusing to follow it")
            : FileError(what, Child(name), errno);
    }

    private string Child(string name)
    {
        if (name.Length == 0 || name == "." || name == ".." || name.Contains('/') || name.Contains('\0'))
            throw new ArgumentException($"\"{name}\" is not a single file name", nameof(name));
        return System.IO.Path.Join(Path, name);
    }

    /// <summary>
    /// Opens the child directory <paramref name="name"/> without following a symlink; a symlink in its place is
    /// refused with <see cref="UnsafePathException"/>.
    /// </summary>
    private SafeFdHandle OpenChildDirectory(string name, string child)
    {
        Errno errno = SafeFdHandle.TryOpenAt(_fd, name, Libc.O_RDONLY | Libc.O_DIRECTORY, out SafeFdHandle fd);
        if (errno == Errno.None) return fd;
        if (errno is Errno.ELOOP or Errno.ENOTDIR && KindOf(name) == EntryKind.Symlink)
            throw new UnsafePathException($"{child}: is a symlink; refusing to follow it");
        throw FileError("open directory", child, errno);
    }

    /// <summary>write(2) of all of <paramref name="content"/>; returns <paramref name="fd"/>.</summary>
    private static unsafe SafeFdHandle WriteAll(SafeFdHandle fd, ReadOnlySpan<byte> content, string subject)
    {
        while (!content.IsEmpty)
        {
            nint n;
            fixed (byte* p = content)
            {
                n = Libc.Write(fd, p, content.Length);
            }

            if (n < 0)
            {
                var errno = (Errno)Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR) continue;
                throw FileError("write", subject, errno);
            }
            content = content[(int)n..];
        }
        return fd;
    }

    /// <summary>A failed operation on <paramref name="path"/>; the exception carries the typed errno (ENOSPC, EACCES, …).</summary>
    private static LinuxException FileError(string what, string path, Errno errno) => new(what, errno, path);

    /// <summary><see cref="FileError"/> for the errno of the last P/Invoke call.</summary>
    private static LinuxException LastError(string what, string path) => LinuxException.FromLastError(what, path);
}

/// <summary>What a directory entry is, seen without following symlinks.</summary>
public enum EntryKind
{
    /// <summary>No such entry.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    File,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A symbolic link (never followed).</summary>
    Symlink,
    /// <summary>A FIFO, socket or device.</summary>
    Other,
}
