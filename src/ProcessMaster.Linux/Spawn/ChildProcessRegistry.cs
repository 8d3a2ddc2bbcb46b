using System.Diagnostics;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// The pids of children whose exit status someone is waiting for: children the <see cref="Spawner"/> started
/// (reaped through their pidfd, see <see cref="ChildProcess"/>) and children started through
/// <see cref="System.Diagnostics.Process"/> (reaped by .NET's own SIGCHLD handling). <see cref="OrphanReaper"/>
/// must never reap those. A <see cref="Spawner"/> spawn is announced (<see cref="BeginSpawn"/>) before its clone and
/// registered when it returns (<see cref="EndSpawn"/>); meanwhile the reaper leaves every unknown zombie alone and
/// scans again once no spawn is in flight, so a fresh child never looks like an orphan, and spawns run in parallel
/// (the scan lock is never held across a clone). A pid is forgotten once reaped.
/// </summary>
public sealed class ChildProcessRegistry
{
    private readonly HashSet<int> _pids = [];
    private int _spawning;
    private bool _scanDeferred;

    /// <summary>Held while the reaper scans, and briefly around each spawn's bookkeeping.</summary>
    internal Lock SyncRoot { get; } = new();

    /// <summary>Called (outside <see cref="SyncRoot"/>) when the last spawn in flight ends after a scan was deferred.</summary>
    internal Action? SpawnsSettled { get; set; }

    /// <summary>Spawns between <see cref="BeginSpawn"/> and <see cref="EndSpawn"/>.</summary>
    public int SpawnsInFlight
    {
        get
        {
            lock (SyncRoot)
            {
                return _spawning;
            }
        }
    }

    /// <summary>Number of children not reaped yet.</summary>
    public int Count
    {
        get
        {
            lock (SyncRoot)
            {
                return _pids.Count;
            }
        }
    }

    /// <summary>Starts a child with <see cref="Process.Start(ProcessStartInfo)"/> and registers its pid atomically with respect to the reaper.</summary>
    public Process Start(ProcessStartInfo startInfo)
    {
        Process process;
        lock (SyncRoot)
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName}: no process was started");
            _pids.Add(process.Id);
        }

        int pid = process.Id;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Forget(pid);
        if (process.HasExited)
        {
            Forget(pid);
        }

        return process;
    }

    /// <summary>True while <paramref name="pid"/> is a child someone will reap.</summary>
    public bool IsTracked(int pid)
    {
        lock (SyncRoot)
        {
            return _pids.Contains(pid);
        }
    }

    /// <summary>Caller holds <see cref="SyncRoot"/>.</summary>
    internal bool IsTrackedLocked(int pid) => _pids.Contains(pid);

    /// <summary>Announces a spawn about to clone: until <see cref="EndSpawn"/>, no unknown zombie is reaped.</summary>
    internal void BeginSpawn()
    {
        lock (SyncRoot)
        {
            _spawning++;
        }
    }

    /// <summary>Ends a spawn: registers its child (<paramref name="pid"/> &gt; 0; a failed spawn reaped its child itself) and runs a deferred scan once none is in flight.</summary>
    internal void EndSpawn(int pid)
    {
        bool settled;
        lock (SyncRoot)
        {
            if (pid > 0)
            {
                _pids.Add(pid);
            }

            _spawning--;
            settled = _spawning == 0 && _scanDeferred;
            if (settled)
            {
                _scanDeferred = false;
            }
        }

        if (settled)
        {
            SpawnsSettled?.Invoke();
        }
    }

    /// <summary>Caller holds <see cref="SyncRoot"/>: may an untracked zombie be reaped now? False (and a scan is owed) while a spawn is in flight.</summary>
    internal bool MayReapUntrackedLocked()
    {
        if (_spawning == 0)
        {
            return true;
        }

        _scanDeferred = true;
        return false;
    }

    /// <summary>Forgets a child once it has been reaped.</summary>
    internal void Forget(int pid)
    {
        lock (SyncRoot)
        {
            _pids.Remove(pid);
        }
    }
}
