using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// Reaps orphans re-parented to the daemon when it is PID 1 (a container) or a child subreaper
/// (<see cref="BecomeChildSubreaper"/>). Design, because .NET already owns SIGCHLD for the children it started:
/// <list type="bullet">
/// <item>No <c>waitpid(-1)</c>: that would steal exit statuses .NET waits for (ProcessWaitState).</item>
/// <item>On every SIGCHLD (a <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/>; .NET keeps doing its own
/// reaping), list the daemon's children from <c>/proc/self/task/*/children</c>, keep those in state Z (zombie),
/// and <c>waitpid(pid, WNOHANG)</c> each one that is not in the <see cref="ChildProcessRegistry"/>.</item>
/// <item>The scan runs under the registry's lock, and the registry adds a pid under the same lock as
/// <c>Process.Start</c> returns it, so a fresh child is never mistaken for an orphan. While a <see cref="Spawner"/> spawn
/// is in flight (its child not registered yet), unknown zombies wait: the scan runs again when the last spawn ends.</item>
/// </list>
/// Every child the daemon creates must therefore be started through the registry (the <see cref="Spawner"/> does).
/// </summary>
public sealed class OrphanReaper : IDisposable
{
    private readonly ChildProcessRegistry _children;
    private readonly ChannelWriter<ReapedOrphan>? _reaped;
    private readonly PosixSignalRegistration _registration;
    private readonly Lock _scanLock = new();

    /// <summary>Registers for SIGCHLD and reaps once right away (orphans may already be waiting).</summary>
    /// <param name="children">Children .NET owns; never reaped here.</param>
    /// <param name="reaped">Optional: receives one record per reaped orphan.</param>
    public OrphanReaper(ChildProcessRegistry children, ChannelWriter<ReapedOrphan>? reaped = null)
    {
        _children = children;
        _reaped = reaped;
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("orphan reaping is Linux-only");
        }

        _children.SpawnsSettled = () => ReapNow();
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => ReapNow());
        ReapNow();
    }

    /// <summary>Makes the calling process a child subreaper (prctl PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to it instead of init.</summary>
    public static void BecomeChildSubreaper(bool enable = true)
    {
        if (Libc.Prctl(Libc.PR_SET_CHILD_SUBREAPER, enable ? 1u : 0u, 0, 0, 0) != 0)
        {
            throw LinuxException.FromLastError("prctl", "PR_SET_CHILD_SUBREAPER");
        }
    }

    /// <summary>Reaps every zombie child that .NET does not own; returns how many. Safe to call at any time.</summary>
    public int ReapNow()
    {
        int count = 0;
        lock (_scanLock)
        {
            lock (_children.SyncRoot)
            {
                foreach (int pid in ListZombieChildren())
                {
                    if (!_children.IsTrackedLocked(pid) && _children.MayReapUntrackedLocked() && TryReap(pid, out ReapedOrphan? orphan))
                    {
                        count++;
                        _reaped?.TryWrite(orphan);
                    }
                }
            }
        }

        return count;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _children.SpawnsSettled = null;
        _registration.Dispose();
    }

    private static unsafe bool TryReap(int pid, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReapedOrphan? orphan)
    {
        int status;
        int rc = Libc.WaitPid(pid, &status, Libc.WNOHANG);
        if (rc != pid)
        {
            orphan = null;
            return false; // 0: not yet; -1 ECHILD: someone else reaped it
        }

        int termSig = status & 0x7f;
        orphan = termSig == 0
            ? new ReapedOrphan(pid, (status >> 8) & 0xff, null)
            : new ReapedOrphan(pid, null, termSig);
        return true;
    }

    /// <summary>Children of every thread of this process that are zombies.</summary>
    internal static List<int> ListZombieChildren()
    {
        var zombies = new List<int>();
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.EnumerateDirectories("/proc/self/task").ToList();
        }
        catch (IOException)
        {
            return zombies;
        }

        foreach (string task in tasks)
        {
            string children;
            try
            {
                children = File.ReadAllText(task + "/children");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // the thread ended meanwhile
            }

            foreach (string field in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && IsZombie(pid))
                {
                    zombies.Add(pid);
                }
            }
        }

        return zombies;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
