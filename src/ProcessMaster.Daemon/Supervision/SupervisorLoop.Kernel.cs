using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Watchers;
using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// What the kernel says. <c>cgroup.events</c> changes are turned into <see cref="CgroupPopulated"/> /
/// <see cref="CgroupEmptied"/> in the order Decide needs: never before the result of a spawn in flight, and an
/// empty cgroup only after the main process's exit has been reported (reap first, then emptiness).
/// </summary>
internal sealed partial class SupervisorLoop
{
    private void OnKernelEvent(KernelEvent e)
    {
        if (_slots.TryGetValue(e.Key, out ServiceSlot? slot) && e is CgroupPopulatedChanged)
            SyncPopulated(slot);
        else if (e is ProcessExited exited && exited.Key.StartsWith(KeeperKeyPrefix, StringComparison.Ordinal)
                 && _slots.TryGetValue(exited.Key[KeeperKeyPrefix.Length..], out ServiceSlot? kept))
            OnAdoptedKeeperExited(kept, exited.Pid);
    }

    /// <summary>Reads <c>cgroup.events</c> and reports a change to Decide, unless an earlier fact must come first.</summary>
    private void SyncPopulated(ServiceSlot slot)
    {
        if (slot.Cgroup is null || slot.SpawnInFlight || !_slots.ContainsKey(slot.Name)) return;
        bool populated;
        try
        {
            populated = slot.Cgroup.Node.IsPopulated();
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            // Fail closed: an unreadable cgroup.events is treated as "still running" (never report a false stop).
            _journal.Append("watch", slot.Name, $"cannot read {slot.Cgroup.Node.Path}/cgroup.events: {e.Message}; treating it as running", EventSeverity.Warning);
            return;
        }
        if (populated == slot.Runtime.Populated) return;
        if (!populated && slot.MainAlive) return; // MainExited comes first; it calls SyncPopulated again.
        Feed(slot, populated ? new CgroupPopulated() : new CgroupEmptied());
    }

    /// <summary>Creates (or opens) the app cgroup, writes its limits and watches its <c>cgroup.events</c>.</summary>
    private void EnsureCgroup(ServiceSlot slot)
    {
        if (slot.Cgroup is null)
        {
            slot.Cgroup = _master.OpenApp(slot.Name);
            _watcher.WatchCgroup(slot.Name, slot.Cgroup.Node);
        }
        ApplyLimits(slot);
    }

    private void ApplyLimits(ServiceSlot slot)
    {
        IReadOnlyList<string> problems = slot.Cgroup!.Node.ApplyLimits(CgroupLimit.For(slot.Definition.Resources));
        // Report a limit that cannot be applied once per change, never pretend it was applied.
        if (!problems.SequenceEqual(slot.LimitProblems))
            foreach (string problem in problems) _journal.Append("cgroup", slot.Name, problem, EventSeverity.Warning);
        slot.LimitProblems = problems;
    }
}
