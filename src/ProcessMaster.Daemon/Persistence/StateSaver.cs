using ProcessMaster.Daemon.Supervision;

namespace ProcessMaster.Daemon.Persistence;

/// <summary>
/// Keeps the state file up with the supervision loop, and tells a command when its change is on disk.
/// <para>
/// Each change the loop announces (<see cref="SupervisorLoop.StateChanged"/>) gets a number and, unless one is already
/// queued, queues one snapshot on the loop after the work already there: a burst of changes costs one snapshot and
/// the store writes only the newest, so a burst of commands shares its writes. The disk I/O runs on the store's
/// writer, never on the loop.
/// </para>
/// <para>
/// <see cref="SavedAsync"/> is what a command's reply waits for: it reads on the loop the number of the last change
/// (so every change the command made, down to the last waiter it completed, is counted) and completes when a write
/// covering it is on disk. A write that failed faults it with <see cref="StateSaveException"/>; asked again after such
/// a failure, it writes again (the operator fixed the disk and repeats the command).
/// </para>
/// </summary>
internal sealed class StateSaver
{
    private readonly SupervisorLoop _loop;
    private readonly StateStore _store;
    private readonly string? _bootId;
    private long _changes;
    private bool _snapshotQueued;

    /// <summary>Subscribes to <paramref name="loop"/>'s changes; snapshots carry <paramref name="bootId"/>.</summary>
    public StateSaver(SupervisorLoop loop, StateStore store, string? bootId)
    {
        _loop = loop;
        _store = store;
        _bootId = bootId;
        loop.StateChanged += OnChanged;
    }

    /// <summary>
    /// Completes when every change the loop made so far is on disk (at once when it already is); faults with
    /// <see cref="StateSaveException"/> when the write that held them failed.
    /// </summary>
    public async Task SavedAsync()
    {
        Task saved = await _loop.InvokeAsync(() =>
        {
            Task wait = _store.WhenSaved(_changes, out bool needsWrite);
            if (needsWrite) QueueSnapshot();
            return wait;
        }).ConfigureAwait(false);
        await saved.ConfigureAwait(false);
    }

    /// <summary>The final snapshot (shutdown): written on the caller's thread; false when it could not be.</summary>
    public async Task<bool> SaveNowAsync()
    {
        (PersistedState state, long covers) = await _loop.InvokeAsync(() => (_loop.Snapshot(_bootId), _changes)).ConfigureAwait(false);
        return _store.SaveNow(state, covers);
    }

    /// <summary>Loop thread.</summary>
    private void OnChanged()
    {
        _changes++;
        QueueSnapshot();
    }

    /// <summary>Loop thread: one snapshot, taken after the work already queued, covering every change up to then.</summary>
    private void QueueSnapshot()
    {
        if (_snapshotQueued) return;
        _snapshotQueued = true;
        _loop.Post(() =>
        {
            _snapshotQueued = false;
            _store.Save(_loop.Snapshot(_bootId), _changes);
        });
    }
}
