using System.Globalization;
using System.Text.Json;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;
using ProcessMaster.Protocol.Framing;

namespace ProcessMaster.Daemon.Persistence;

/// <summary>
/// Reads the state file at boot and writes it durably (temp file, fsync, rename, fsync of the directory; never through
/// a symlink) off the supervision loop: <see cref="Save"/> hands over a snapshot and returns; a writer task keeps only
/// the newest pending snapshot, so a burst of changes costs one write. Each snapshot covers the loop's changes up to a
/// number; <see cref="WhenSaved"/> tells whoever waits for a change (a command's reply) when a write covering it is on
/// disk, or why it is not.
/// </summary>
internal sealed class StateStore : IAsyncDisposable
{
    /// <summary>A state file larger than this is refused (16 MiB).</summary>
    public const int MaxBytes = 16 << 20;

    private readonly string _path;
    private readonly EventJournal _journal;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Lock _lock = new();
    private readonly Task _writer;
    private readonly CancellationTokenSource _closing = new();
    private readonly Func<Task>? _beforeWrite;
    private readonly List<(long Change, TaskCompletionSource Saved)> _waiters = [];
    private PersistedState? _pending;
    private long _pendingCovers;
    private bool _writing;
    private long _durable;
    private bool _lastWriteFailed;

    /// <summary>
    /// Opens the store, creating the state directory (0700) when missing. The directory also holds the log FIFOs:
    /// it must be the daemon's own and closed to writes by group and others (audit N-26), else
    /// <see cref="UnsafePathException"/> (the daemon does not start).
    /// </summary>
    /// <param name="beforeWrite">Awaited before each background write (tests hold a write back with it).</param>
    public StateStore(string path, EventJournal journal, Func<Task>? beforeWrite = null)
    {
        _beforeWrite = beforeWrite;
        _path = System.IO.Path.GetFullPath(path);
        _journal = journal;
        string directory = System.IO.Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, (UnixFileMode)UnixMode.Mode0700);
            File.SetUnixFileMode(directory, (UnixFileMode)UnixMode.Mode0700);
        }
        using (ConfinedDirectory dir = ConfinedDirectory.Open(directory))
        {
            EntryStatus status = dir.Status();
            uint euid = DaemonIdentity.Current().Uid;
            if (status.Uid != euid || (status.Mode & UnixMode.GroupOrOtherWrite) != 0)
                throw new UnsafePathException(string.Create(CultureInfo.InvariantCulture,
                    $"state directory {directory} is owned by uid {status.Uid} with mode {UnixMode.Format(status.Mode)}; it must be owned by uid {euid} and not writable by group or others (chown {euid} {directory} && chmod go-w {directory})"));
        }
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The state file's path.</summary>
    public string Path => _path;

    /// <summary>Loads the state file. A missing file is a first start; an unreadable or invalid one is reported and ignored.</summary>
    public PersistedState? Load()
    {
        string directory = System.IO.Path.GetDirectoryName(_path)!;
        string name = System.IO.Path.GetFileName(_path);
        try
        {
            using ConfinedDirectory dir = ConfinedDirectory.Open(directory);
            if (dir.KindOf(name) == EntryKind.Missing) return null;
            byte[] bytes = dir.ReadRegularFile(name, MaxBytes, out EntryStatus status);
            if (!IsTrusted(dir, name, status)) return null;
            PersistedState? state = JsonSerializer.Deserialize(bytes, PersistenceJsonContext.Default.PersistedState);
            if (state is null || state.Version != PersistedState.CurrentVersion)
            {
                _journal.Append("state", null, $"{_path}: version {state?.Version} is not {PersistedState.CurrentVersion}; starting without saved state", EventSeverity.Warning);
                return null;
            }
            return state;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            _journal.Append("state", null, $"{_path}: cannot restore saved state: {e.Message}; starting without it (services found running are still adopted)", EventSeverity.Warning);
            return null;
        }
    }

    /// <summary>
    /// A state file someone else could have written is not restored (a forged one could name pids and flags);
    /// one only others could read is made 0600 again. Both are said.
    /// </summary>
    private bool IsTrusted(ConfinedDirectory dir, string name, EntryStatus status)
    {
        uint euid = DaemonIdentity.Current().Uid;
        if (status.Uid != euid || (status.Mode & UnixMode.GroupOrOtherWrite) != 0)
        {
            _journal.Append("state", null, string.Create(CultureInfo.InvariantCulture,
                $"{_path}: not restored: owned by uid {status.Uid} with mode {UnixMode.Format(status.Mode)}, while only the daemon (uid {euid}) may write it; starting without saved state (services found running are still adopted); it is replaced on the next save"));
            return false;
        }
        if ((status.Mode & UnixMode.GroupOrOtherAny) != 0)
        {
            dir.ChangeMode(name, UnixMode.Mode0600);
            _journal.Append("state", null, $"{_path}: mode was {UnixMode.Format(status.Mode)}; set to 0600 (the state is private to the daemon)", EventSeverity.Warning);
        }
        return true;
    }

    /// <summary>
    /// Queues <paramref name="state"/> to be written; returns at once. <paramref name="covers"/>: the number of the
    /// last change it holds (see <see cref="WhenSaved"/>).
    /// </summary>
    public void Save(PersistedState state, long covers = 0)
    {
        lock (_lock)
        {
            _pending = state;
            _pendingCovers = Math.Max(_pendingCovers, covers);
        }
        _signal.Release();
    }

    /// <summary>
    /// Completes when a snapshot covering change <paramref name="change"/> is on disk; faults with
    /// <see cref="StateSaveException"/> when the write that covered it failed. <paramref name="needsWrite"/> is true when
    /// no write is queued or under way and the change is not saved (the last write failed): the caller must
    /// <see cref="Save"/> a snapshot again, or this never completes.
    /// </summary>
    public Task WhenSaved(long change, out bool needsWrite)
    {
        lock (_lock)
        {
            needsWrite = false;
            if (_durable >= change) return Task.CompletedTask;
            var saved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((change, saved));
            needsWrite = _pending is null && !_writing;
            return saved.Task;
        }
    }

    /// <summary>Writes <paramref name="state"/> now, on the caller's thread (shutdown).</summary>
    public bool SaveNow(PersistedState state, long covers = 0)
    {
        lock (_lock) _pending = null;
        string? error = Write(state);
        Resolve(covers, error);
        return error is null;
    }

    private async Task WriteLoopAsync()
    {
        while (true)
        {
            try
            {
                await _signal.WaitAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            PersistedState? next;
            long covers;
            lock (_lock)
            {
                next = _pending;
                covers = _pendingCovers;
                _pending = null;
                _writing = next is not null;
            }
            if (next is null) continue;
            if (_beforeWrite is not null) await _beforeWrite().ConfigureAwait(false);
            Resolve(covers, Write(next));
        }
    }

    /// <summary>Answers the waiters for changes up to <paramref name="covers"/>: saved, or <paramref name="error"/>.</summary>
    private void Resolve(long covers, string? error)
    {
        lock (_lock)
        {
            _writing = false;
            if (error is null) _durable = Math.Max(_durable, covers);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                (long change, TaskCompletionSource saved) = _waiters[i];
                if (change > covers) continue;
                if (error is null) saved.TrySetResult();
                else saved.TrySetException(new StateSaveException(error));
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>Writes <paramref name="state"/>; null when it is on disk, else why not.</summary>
    private string? Write(PersistedState state)
    {
        try
        {
            string directory = System.IO.Path.GetDirectoryName(_path)!;
            // A pooled buffer: the whole state (about 1 KB a service) on the large object heap at every save would bring a
            // full collection each time (33 of them while 100 services booted).
            using var bytes = new PooledBufferWriter();
            using (var writer = new Utf8JsonWriter(bytes))
                JsonSerializer.Serialize(writer, state, PersistenceJsonContext.Default.PersistedState);
            using ConfinedDirectory dir = ConfinedDirectory.Open(directory);
            dir.WriteAtomically(System.IO.Path.GetFileName(_path), bytes.WrittenSpan, UnixMode.Mode0600, overwrite: true);
            if (_lastWriteFailed) _journal.Append("state", null, $"{_path}: saved again");
            _lastWriteFailed = false;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Report once per failure streak, not on every change.
            if (!_lastWriteFailed) _journal.Append("state", null, $"{_path}: cannot save state: {e.Message}; a daemon restart would lose recent changes; retrying on the next change", EventSeverity.Error);
            _lastWriteFailed = true;
            return $"{_path}: cannot save state: {e.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        lock (_lock)
        {
            foreach ((_, TaskCompletionSource saved) in _waiters)
                saved.TrySetException(new StateSaveException($"{_path}: not saved: the daemon stopped first"));
            _waiters.Clear();
        }
        _closing.Dispose();
        _signal.Dispose();
    }
}
