using System.Diagnostics;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// The pids of children started through <see cref="System.Diagnostics.Process"/>, which .NET reaps itself (its
/// SIGCHLD handling waits on each child it started). <see cref="OrphanReaper"/> must never reap those, so every
/// child the daemon creates is started through <see cref="Start"/> (the <see cref="Spawner"/> does): the pid is
/// registered under the same lock the reaper scans under, so there is no window in which a fresh child looks like
/// an orphan. A pid is forgotten once .NET has reaped it (<see cref="Process.Exited"/>).
/// </summary>
public sealed class ChildProcessRegistry
{
    private readonly HashSet<int> _pids = [];

    /// <summary>Held while starting a child and while the reaper scans.</summary>
    internal Lock SyncRoot { get; } = new();

    /// <summary>Number of children .NET still owns.</summary>
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

    /// <summary>True while .NET owns (and will reap) <paramref name="pid"/>.</summary>
    public bool IsTracked(int pid)
    {
        lock (SyncRoot)
        {
            return _pids.Contains(pid);
        }
    }

    /// <summary>Caller holds <see cref="SyncRoot"/>.</summary>
    internal bool IsTrackedLocked(int pid) => _pids.Contains(pid);

    private void Forget(int pid)
    {
        lock (SyncRoot)
        {
            _pids.Remove(pid);
        }
    }
}
