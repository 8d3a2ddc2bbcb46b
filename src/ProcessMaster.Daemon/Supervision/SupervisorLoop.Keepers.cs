using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Procfs;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Exit status across a daemon restart. A main process runs under an exit keeper (its parent, outside the service's
/// cgroup) that records how it ended in <see cref="ExitRecords"/>. At boot, a saved run's keeper that still lives is
/// watched (its exit brings the record, and the cgroup's emptiness waits for it, as it waits for a reap); a keeper
/// already gone left its record, which is taken at once. Only without a record is the status unknown (Vanished).
/// </summary>
internal sealed partial class SupervisorLoop
{
    private const string KeeperKeyPrefix = "keeper:";

    /// <summary>Boot, before adoption: how the saved main process ended, or who still waits for it.</summary>
    private void RecoverMainExit(ServiceSlot slot)
    {
        int? keeper = slot.KeeperPid;
        long? ticks = slot.KeeperStartTicks;
        (slot.KeeperPid, slot.KeeperStartTicks) = (null, null);
        if (_exits is null || slot.Runtime.MainPid is not { } main || slot.Runtime.State.IsAtRest()) return;
        if (keeper is { } pid && ticks is not null && ProcStat.TryReadStartTicks(pid) == ticks)
        {
            try
            {
                _watcher.WatchPid(KeeperKeyPrefix + slot.Name, pid); // an exit in between still arrives as an event
                (slot.KeeperPid, slot.KeeperStartTicks, slot.MainAlive) = (pid, ticks, true);
                _journal.Append("reconcile", slot.Name, $"main process {main} is kept by exit keeper {pid}; its exit status will be known");
                return;
            }
            catch (LinuxException e)
            {
                _journal.Append("reconcile", slot.Name, $"cannot watch exit keeper {pid}: {e.Message}; reading its record now", EventSeverity.Warning);
            }
        }
        TakeRecordedExit(slot, main);
    }

    /// <summary>A keeper found at boot ended: its record says how the main process ended; then the cgroup decides.</summary>
    private void OnAdoptedKeeperExited(ServiceSlot slot, int keeper)
    {
        if (slot.KeeperPid != keeper || slot.Main is not null || !slot.MainAlive) return;
        (slot.KeeperPid, slot.KeeperStartTicks, slot.MainAlive) = (null, null, false);
        if (slot.Runtime.MainPid is { } main) TakeRecordedExit(slot, main);
        bool populated;
        try
        {
            populated = slot.Cgroup?.Node.IsPopulated() ?? false;
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            populated = true; // fail closed, as SyncPopulated does; the next cgroup event decides
        }
        if (!populated && !slot.Runtime.Populated && !slot.Runtime.State.IsAtRest()) Feed(slot, new CgroupEmptied());
        else SyncPopulated(slot);
    }

    private void TakeRecordedExit(ServiceSlot slot, int main)
    {
        ExitStatus? status = _exits!.TryTake(slot.Name, main, out string? problem);
        if (problem is not null) _journal.Append("reconcile", slot.Name, problem, EventSeverity.Warning);
        if (status is { } s)
        {
            _journal.Append("reconcile", slot.Name, $"main process {main} {s} while no daemon watched it (recorded by its exit keeper)");
            Feed(slot, new MainExited(main, s));
        }
        else if (!IsAlive(main))
        {
            _journal.Append("reconcile", slot.Name, $"main process {main} ended while no daemon watched it and no exit record was left; its exit status is unknown");
        }
    }

    private static bool IsAlive(int pid) => ProcStat.TryReadStartTicks(pid) is not null;
}
