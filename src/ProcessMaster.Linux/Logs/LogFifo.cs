using System.Globalization;
using System.Runtime.InteropServices;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// The FIFO one output stream of a service writes into. It lives in the daemon's runtime directory (0700,
/// owned by the daemon), outlives any one daemon process, and is opened O_RDWR on both sides: the service
/// (on its fd 1 or 2, a descriptor the daemon opened, see <see cref="OpenForChild"/>) never sees EOF, EPIPE or SIGPIPE, and simply blocks once the
/// pipe is full while no daemon reads. The daemon holds it O_RDWR too, so a service that exits never makes
/// the reader see a hang-up. The pipe buffer is raised to <see cref="PipeMaxSizePath"/> (1 MiB by default).
/// </summary>
public sealed class LogFifo : IDisposable
{
    /// <summary>The kernel's limit on F_SETPIPE_SZ for unprivileged processes (root may go beyond it).</summary>
    public const string PipeMaxSizePath = "/proc/sys/fs/pipe-max-size";

    /// <summary>The pipe buffer asked for by default: 1 MiB.</summary>
    public const int DefaultPipeBytes = 1 << 20;

    private LogFifo(SafeFdHandle handle, string path, int pipeBytes)
    {
        Handle = handle;
        Path = path;
        PipeBytes = pipeBytes;
    }

    /// <summary>The FIFO's path (for messages).</summary>
    public string Path { get; }

    /// <summary>The pipe buffer the kernel granted (F_GETPIPE_SZ): what a service can write while no one reads.</summary>
    public int PipeBytes { get; }

    /// <summary>The daemon's O_RDWR|O_NONBLOCK descriptor.</summary>
    internal SafeFdHandle Handle { get; }

    /// <summary>
    /// Opens the runtime directory, creating it 0700 when missing. It must be a real directory (not a
    /// symlink), owned by this process's effective user and closed to group and others.
    /// </summary>
    public static ConfinedDirectory OpenRuntimeDirectory(string path)
    {
        string trimmed = path.TrimEnd('/');
        string parent = System.IO.Path.GetDirectoryName(trimmed) ?? "/";
        using ConfinedDirectory above = ConfinedDirectory.Open(parent.Length == 0 ? "/" : parent);
        ConfinedDirectory directory = above.OpenOrCreateDirectory(System.IO.Path.GetFileName(trimmed), UnixMode.Mode0700);
        EntryStatus status = ConfinedDirectory.StatOf(directory.Handle, directory.Path);
        uint euid = Libc.GetEUid();
        if (status.Uid != euid || (status.Mode & UnixMode.GroupOrOtherAny) != 0)
        {
            directory.Dispose();
            throw new UnsafePathException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: runtime directory is owned by uid {status.Uid} with mode {Convert.ToString(status.Mode, 8)}; it must be owned by uid {euid} with mode 0700 (chown {euid} {path}; chmod 0700 {path})"));
        }
        return directory;
    }

    /// <summary>
    /// Creates the FIFO <paramref name="name"/> in <paramref name="runtimeDirectory"/> (mode 0600), or reuses the
    /// one a previous daemon left, and opens it O_RDWR|O_NONBLOCK without following a symlink. The entry must be
    /// a FIFO owned by this process's user with one link. Asks for <paramref name="pipeBytes"/> of pipe buffer,
    /// capped by <see cref="PipeMaxSizePath"/>; the grant is in <see cref="PipeBytes"/>.
    /// </summary>
    public static LogFifo OpenOrCreate(ConfinedDirectory runtimeDirectory, string name, int pipeBytes = DefaultPipeBytes)
    {
        string path = runtimeDirectory.PathOf(name);
        if (Libc.MkfifoAt(runtimeDirectory.Handle, name, UnixMode.Mode0600) != 0)
        {
            var errno = (Errno)Marshal.GetLastPInvokeError();
            if (errno != Errno.EEXIST) throw new LinuxException("mkfifo", errno, path);
        }
        Errno opened = SafeFdHandle.TryOpenAt(runtimeDirectory.Handle, name, Libc.O_RDWR | Libc.O_NONBLOCK, out SafeFdHandle fd);
        if (opened != Errno.None)
        {
            throw opened == Errno.ELOOP
                ? new UnsafePathException($"{path}: is a symlink; refusing to use it as a log FIFO")
                : new LinuxException("open", opened, path);
        }
        try
        {
            EntryStatus status = ConfinedDirectory.StatOf(fd, path);
            uint euid = Libc.GetEUid();
            if (status.Kind != EntryKind.Other || !IsFifo(fd))
                throw new UnsafePathException($"{path}: is a {status.Kind}, not a FIFO; remove it so the daemon can create the FIFO");
            if (status.Uid != euid || status.LinkCount != 1)
                throw new UnsafePathException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: FIFO is owned by uid {status.Uid} with {status.LinkCount} links; expected uid {euid} and 1 link; remove it so the daemon can create its own"));
            return new LogFifo(fd, path, GrowPipe(fd, pipeBytes));
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new O_RDWR descriptor on this FIFO in blocking mode, for a child's stdout or stderr: reopened through
    /// <c>/proc/self/fd</c> of the daemon's own descriptor, so no path is looked up again. It is a separate open file
    /// description: the daemon's O_NONBLOCK never reaches the service.
    /// </summary>
    public SafeFdHandle OpenForChild()
    {
        bool added = false;
        try
        {
            Handle.DangerousAddRef(ref added);
            string self = "/proc/self/fd/" + Handle.Fd.ToString(CultureInfo.InvariantCulture);
            Errno errno = SafeFdHandle.TryOpen(self, Libc.O_RDWR | Libc.O_NOCTTY, out SafeFdHandle fd);
            return errno == Errno.None ? fd : throw new LinuxException("reopen for the service", errno, Path);
        }
        finally
        {
            if (added) Handle.DangerousRelease();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Handle.Dispose();

    private static bool IsFifo(SafeFdHandle fd) => Libc.Fcntl(fd, Libc.F_GETPIPE_SZ, 0) > 0;

    private static int GrowPipe(SafeFdHandle fd, int requested)
    {
        int limit = requested;
        try
        {
            string text = File.ReadAllText(PipeMaxSizePath).Trim();
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int max) && max < limit && Libc.GetEUid() != 0)
                limit = max;
        }
        catch (IOException)
        {
            // No procfs: ask for the request and take what the kernel grants.
        }
        int current = Libc.Fcntl(fd, Libc.F_GETPIPE_SZ, 0);
        if (current >= limit) return current;
        // EPERM (over pipe-user-pages-soft for an unprivileged user) or EBUSY keeps the current size.
        int granted = Libc.Fcntl(fd, Libc.F_SETPIPE_SZ, limit);
        return granted > 0 ? granted : current;
    }
}
