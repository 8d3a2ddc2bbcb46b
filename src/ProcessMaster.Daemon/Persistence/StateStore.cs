using System.Text.Json;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Daemon.Persistence;

/// <summary>
/// Reads the state file at boot and writes it atomically (temp file, fsync, rename; never through a symlink)
/// off the supervision loop: <see cref="Save"/> hands over a snapshot and returns; a writer task keeps only the
/// newest pending snapshot, so a burst of changes costs one write.
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
    private PersistedState? _pending;
    private bool _lastWriteFailed;

    public StateStore(string path, EventJournal journal)
    {
        _path = System.IO.Path.GetFullPath(path);
        _journal = journal;
        // The state directory also holds the log FIFOs: private to the daemon.
        string directory = System.IO.Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(directory)) Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
            byte[] bytes = dir.ReadRegularFile(name, MaxBytes);
            PersistedState? state = JsonSerializer.Deserialize(bytes, PersistenceJsonContext.Default.PersistedState);
            if (state is null || state.Version != PersistedState.CurrentVersion)
            {
                _journal.Append("state", null, $"{_path}: version {state?.Version} is not {PersistedState.CurrentVersion}; starting without saved state");
                return null;
            }
            return state;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            _journal.Append("state", null, $"{_path}: cannot restore saved state: {e.Message}; starting without it (services found running are still adopted)");
            return null;
        }
    }

    /// <summary>Queues <paramref name="state"/> to be written; returns at once.</summary>
    public void Save(PersistedState state)
    {
        lock (_lock) _pending = state;
        _signal.Release();
    }

    /// <summary>Writes <paramref name="state"/> now, on the caller's thread (shutdown).</summary>
    public bool SaveNow(PersistedState state)
    {
        lock (_lock) _pending = null;
        return Write(state);
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
            lock (_lock)
            {
                next = _pending;
                _pending = null;
            }
            if (next is not null) Write(next);
        }
    }

    private bool Write(PersistedState state)
    {
        try
        {
            string directory = System.IO.Path.GetDirectoryName(_path)!;
            byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(state, PersistenceJsonContext.Default.PersistedState);
            using ConfinedDirectory dir = ConfinedDirectory.Open(directory);
            dir.WriteAtomically(System.IO.Path.GetFileName(_path), bytes, 0b110_000_000, overwrite: true);
            if (_lastWriteFailed) _journal.Append("state", null, $"{_path}: saved again");
            _lastWriteFailed = false;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Report once per failure streak, not on every change.
            if (!_lastWriteFailed) _journal.Append("state", null, $"{_path}: cannot save state: {e.Message}; a daemon restart would lose recent changes; retrying on the next change");
            _lastWriteFailed = true;
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        _closing.Dispose();
        _signal.Dispose();
    }
}
