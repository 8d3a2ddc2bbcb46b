using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// The log directories the captures of one <see cref="LogCaptureLoop"/> hold open, one descriptor per directory
/// whatever the number of streams writing into it (a service's stdout and stderr, services sharing a working
/// directory). Each stream still walks to its directory itself without following a symlink (<see cref="ConfinedDirectory"/>);
/// only when the walk lands on a directory already held (same mount, inode and path) does it give its own descriptor back
/// and use the held one, which is the same directory. Rotation keeps working relative to a descriptor, never a path.
/// Thread-safe: captures open and close their targets on the loop's workers and on whichever thread disposes them.
/// </summary>
internal sealed class LogDirectoryTable
{
    private readonly Dictionary<Key, Entry> _held = [];
    private readonly Dictionary<ConfinedDirectory, Key> _keys = new(ReferenceEqualityComparer.Instance);
    private readonly object _lock = new();

    /// <summary>Directories held now (one descriptor each).</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _held.Count;
        }
    }

    /// <summary>
    /// Takes <paramref name="walked"/> (just opened by a no-follow walk) and returns the descriptor to keep: the one
    /// already held for the same directory (then <paramref name="walked"/> is closed), or <paramref name="walked"/>
    /// itself, now held. Every result is given back once with <see cref="Release"/>.
    /// </summary>
    public ConfinedDirectory Share(ConfinedDirectory walked)
    {
        EntryStatus status;
        try
        {
            status = walked.Status();
        }
        catch
        {
            walked.Dispose();
            throw;
        }
        var key = new Key(status.Device, status.MountId, status.Inode, walked.Path);
        lock (_lock)
        {
            if (_held.TryGetValue(key, out Entry? entry))
            {
                entry.References++;
                walked.Dispose();
                return entry.Directory;
            }
            _held[key] = new Entry(walked);
            _keys[walked] = key;
            return walked;
        }
    }

    /// <summary>Gives back a directory <see cref="Share"/> returned; the descriptor closes with its last user.</summary>
    public void Release(ConfinedDirectory directory)
    {
        lock (_lock)
        {
            if (!_keys.TryGetValue(directory, out Key key))
            {
                directory.Dispose();
                return;
            }
            Entry entry = _held[key];
            if (--entry.References > 0) return;
            _held.Remove(key);
            _keys.Remove(directory);
        }
        directory.Dispose();
    }

    private readonly record struct Key((uint Major, uint Minor) Device, ulong MountId, ulong Inode, string Path);

    private sealed class Entry(ConfinedDirectory directory)
    {
        public ConfinedDirectory Directory { get; } = directory;

        public int References { get; set; } = 1;
    }
}
