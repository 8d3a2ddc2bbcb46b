using System.Text;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Daemon.Events;

/// <summary>
/// The daemon's own log (<c>global.log_file</c>): every event as a line, written by a background task so
/// that appending an event never waits for the disk. Rotated at <see cref="RotateBytes"/>, keeping
/// <see cref="Backups"/> numbered backups. Opened the way root must open a file (N-10): its directory is created
/// 0750 (the daemon's umask makes it 0700) and refused if anyone may write to it; the file is opened through the
/// directory's descriptor without following a symlink, must be a regular file with one link owned by the daemon's
/// user, and is kept at mode 0640. If the file cannot be written, events still reach stderr and
/// <c>pmctl events</c>; the failure is reported on stderr once. Lines dropped under a flood are counted and the
/// count is written when the file takes lines again.
/// </summary>
internal sealed class DaemonLogFile : IAsyncDisposable
{
    private readonly EventLineQueue _lines = new();
    private string _path;
    private string _name;
    private Reopening? _reopen;
    private readonly long _rotateBytes;
    private readonly int _backups;
    private readonly Task _writer;
    private ConfinedDirectory? _directory;

    /// <summary>Default rotation size (10 MiB), as the original.</summary>
    public const long RotateBytes = 10 * 1024 * 1024;

    /// <summary>Default number of backups.</summary>
    public const int Backups = 10;

    /// <summary>Mode of the log and its backups: 0640 (it holds every event).</summary>
    public const uint FileMode = Linux.Files.UnixMode.Mode0640;

    /// <summary>Mode of a log directory the daemon creates: 0750 (events name services, users and paths).</summary>
    public const UnixFileMode DirectoryMode = (UnixFileMode)Linux.Files.UnixMode.Mode0750;

    public DaemonLogFile(string path, long rotateBytes = RotateBytes, int backups = Backups)
    {
        _path = System.IO.Path.GetFullPath(path);
        _name = System.IO.Path.GetFileName(_path);
        _rotateBytes = rotateBytes;
        _backups = backups;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues one line (never blocks; under a flood the oldest queued lines are dropped).</summary>
    public void Append(string line) => _lines.Append(line);

    /// <summary>The file written (absolute).</summary>
    public string Path => Volatile.Read(ref _path);

    /// <summary>
    /// Closes the log and opens it again at its path, or at <paramref name="path"/> when given, before the next line
    /// is written (SIGUSR1, <c>pmctl log-reopen</c>, a changed <c>global.log_file</c>): after an external logrotate has
    /// renamed the file, the next line lands in a new file at the original path. The file is opened exactly as at
    /// start (no symlink followed, owner and mode checked). The caller appends an event next, which is that line; the
    /// task completes once the file is open again, with null, or with why it could not be opened.
    /// </summary>
    public Task<string?> ReopenAsync(string? path = null)
    {
        var request = new Reopening(path is null ? null : System.IO.Path.GetFullPath(path));
        if (Interlocked.Exchange(ref _reopen, request) is { } earlier)
            request.Done.Task.ContinueWith(t => earlier.Done.TrySetResult(t.Result), TaskScheduler.Default);
        return request.Done.Task;
    }

    /// <summary>The absolute path a reopen at <paramref name="path"/> (null: the current one) writes to.</summary>
    public string PathAfter(string? path) => path is null ? Path : System.IO.Path.GetFullPath(path);

    private sealed record Reopening(string? Path)
    {
        public TaskCompletionSource<string?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task WriteLoopAsync()
    {
        FileStream? file = null;
        bool failed = false;
        try
        {
            await foreach (string line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                Reopening? reopening = Interlocked.Exchange(ref _reopen, null);
                try
                {
                    if (reopening is not null)
                    {
                        if (file is not null) await file.DisposeAsync().ConfigureAwait(false);
                        file = null;
                        _directory?.Dispose();
                        _directory = null;
                        if (reopening.Path is { } moved)
                        {
                            Volatile.Write(ref _path, moved);
                            _name = System.IO.Path.GetFileName(moved);
                        }
                        file = Open();
                        reopening.Done.TrySetResult(null);
                    }
                    file ??= Open();
                    long dropped = _lines.TakeDropped();
                    string text = dropped > 0 ? EventLineQueue.DroppedNotice(DateTimeOffset.Now, dropped, "the daemon log") + "\n" + line : line;
                    byte[] bytes = Encoding.UTF8.GetBytes(text + "\n");
                    if (file.Length > 0 && file.Length + bytes.Length > _rotateBytes)
                    {
                        await file.DisposeAsync().ConfigureAwait(false);
                        file = null;
                        Rotate();
                        file = Open();
                    }
                    file.Write(bytes);
                    if (_lines.Reader.Count == 0) file.Flush();
                    failed = false;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    reopening?.Done.TrySetResult(e.Message);
                    if (!failed) Console.Error.WriteLine($"processmaster: daemon log {_path}: {e.Message}; events still go to stderr and `pmctl events`");
                    failed = true;
                    if (file is not null) await file.DisposeAsync().ConfigureAwait(false);
                    file = null;
                    _directory?.Dispose();
                    _directory = null;
                }
            }
        }
        finally
        {
            if (file is not null) await file.DisposeAsync().ConfigureAwait(false);
            _directory?.Dispose();
            Interlocked.Exchange(ref _reopen, null)?.Done.TrySetResult("the daemon is shutting down");
        }
    }

    private FileStream Open()
    {
        _directory ??= OpenDirectory();
        SafeFdHandle fd = _directory.OpenAppendFile(_name, FileMode);
        EntryStatus status = ConfinedDirectory.StatOf(fd, _path);
        if (status.Uid != Privileges.EffectiveUid)
        {
            fd.Dispose();
            throw new UnsafePathException($"{_path}: is owned by uid {status.Uid}, not by the daemon (uid {Privileges.EffectiveUid}); refusing to write the daemon log into it; remove it");
        }
        return fd.ToStream(FileAccess.Write, bufferSize: 64 * 1024);
    }

    private ConfinedDirectory OpenDirectory()
    {
        string directory = System.IO.Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
            File.SetUnixFileMode(directory, DirectoryMode); // exactly, whatever the umask
        }
        ConfinedDirectory opened = ConfinedDirectory.Open(directory);
        uint mode = opened.Status().Mode;
        if ((mode & 0x2) != 0) // S_IWOTH
        {
            opened.Dispose();
            throw new UnsafePathException($"{directory}: the daemon log directory is writable by everyone (mode {Convert.ToString(mode, 8)}); refusing to write the daemon log there; use a directory only root can write (chmod o-w {directory})");
        }
        return opened;
    }

    private void Rotate()
    {
        ConfinedDirectory directory = _directory ?? throw new InvalidOperationException("the daemon log directory is not open");
        directory.Delete($"{_name}.{_backups}");
        for (int i = _backups - 1; i >= 1; i--)
            directory.TryRename($"{_name}.{i}", $"{_name}.{i + 1}");
        directory.TryRename(_name, $"{_name}.1");
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Complete();
        await _writer.ConfigureAwait(false);
    }
}
