using System.Diagnostics;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// The pids of children whose exit status someone is waiting for: children the <see cref="Spawner"/> started
/// (reaped through their pidfd, see <see cref="ChildProcess"/>) and children started through
/// <see cref="System.Diagnostics.Process"/> (reaped by .NET's own SIGCHLD handling). <see cref="OrphanReaper"/>
/// must never reap those. A pid is registered under the same lock the reaper scans under, while the child is
/// created, so there is no window in which a fresh child looks like an orphan; it is forgotten once reaped.
/// </summary>
public sealed class ChildProcessRegistry
{
    private readonly HashSet<int> _pids = [];

    /// <summary>Held while starting a child and while the reaper scans.</summary>
    internal Lock SyncRoot { get; } = new();

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

    /// <summary>Caller holds <see cref="SyncRoot"/> and created the child under it.</summary>
    internal void AddLocked(int pid) => _pids.Add(pid);

    /// <summary>Forgets a child once it has been reaped.</summary>
    internal void Forget(int pid)
    {
        lock (SyncRoot)
        {
            _pids.Remove(pid);
        }
    }
}
