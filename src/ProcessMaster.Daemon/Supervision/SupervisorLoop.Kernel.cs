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
    /// <summary>Test-only fault injection (see <c>FaultInjection</c>): limit files never written. Empty in production.</summary>
    public IReadOnlySet<string> SkippedLimitFiles { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    private void OnKernelEvent(KernelEvent e)
    {
        if (_slots.TryGetValue(e.Key, out ServiceSlot? slot) && e is CgroupPopulatedChanged)
            SyncPopulated(slot);
        else if (e is ProcessExited exited && exited.Key.StartsWith(KeeperKeyPrefix, StringComparison.Ordinal)
                 && _slots.TryGetValue(exited.Key[KeeperKeyPrefix.Length..], out ServiceSlot? kept))
            OnAdoptedKeeperExited(kept, exited.Pid);
    }

    /// <summary>How soon a <c>cgroup.events</c> that could not be read for want of a resource is read again.</summary>
    private static readonly TimeSpan RecheckDelay = TimeSpan.FromMilliseconds(100);

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
            // Out of descriptors (N-17) passes: read it again shortly, or an emptiness seen meanwhile would be lost.
            bool retry = ResourceShortage.Of(e) is not null;
            if (retry) _deadlines.Set(DeadlineKey.Recheck(slot.Name), _clock.Mono() + RecheckDelay);
            _journal.Append("watch", slot.Name, $"cannot read {slot.Cgroup.Node.Path}/cgroup.events: {e.Message}; treating it as running{(retry ? $"; reading it again in {RecheckDelay.TotalMilliseconds:0} ms" : "")}", EventSeverity.Warning);
            return;
        }
        if (populated == slot.Runtime.Populated) return;
        if (!populated && slot.MainAlive) return; // MainExited comes first; it calls SyncPopulated again.
        if (!populated) NoteOomKills(slot);
        Feed(slot, populated ? new CgroupPopulated() : new CgroupEmptied());
    }

    /// <summary>
    /// Creates (or opens) the service cgroup, writes its limits and watches its <c>cgroup.events</c>. A cgroup removed from
    /// outside since it was opened (rmdir while the service was stopped; audit N-18) is made again, not left failing.
    /// </summary>
    private void EnsureCgroup(ServiceSlot slot)
    {
        if (slot.Cgroup is { } open && IsRemoved(open))
        {
            _journal.Append("cgroup", slot.Name, $"{open.Node.Path} was removed from outside the daemon; creating it again");
            _watcher.UnwatchCgroup(slot.Name);
            open.Dispose();
            slot.Cgroup = null;
            slot.LimitProblems = [];
        }
        if (slot.Cgroup is null)
        {
            slot.Cgroup = _master.OpenService(slot.Name);
            _watcher.WatchCgroup(slot.Name, slot.Cgroup.Node);
            slot.OomKillsSeen = TryReadOomKills(slot);
        }
        ApplyLimits(slot);
    }

    /// <summary>True when the cgroup directory (or its attach leaf) behind an open descriptor is gone.</summary>
    private static bool IsRemoved(ServiceCgroup cgroup)
    {
        try
        {
            cgroup.Node.IsPopulated();
            cgroup.Leaf.IsPopulated();
            return false;
        }
        catch (LinuxException e) when (e.Errno is Errno.ENOENT or Errno.ENODEV)
        {
            return true;
        }
        catch (IOException)
        {
            return false; // unreadable for another reason: keep it; the operation that needs it reports why
        }
    }

    /// <summary>
    /// Reports OOM kills since the last look as an event (read from <c>memory.events</c> when the service loses a process,
    /// before Decide sees the exit, so the event comes before the restart it causes).
    /// </summary>
    private void NoteOomKills(ServiceSlot slot)
    {
        if (TryReadOomKills(slot) is not long kills || kills <= (slot.OomKillsSeen ?? 0)) return;
        long added = kills - (slot.OomKillsSeen ?? 0);
        slot.OomKillsSeen = kills;
        string limit = slot.Definition.Resources.Memory.IsMax ? "no memory limit of its own" : $"max_memory {slot.Definition.Resources.Memory}";
        _journal.Append("oom", slot.Name, $"the kernel OOM-killed {added} process(es) in {slot.Cgroup!.Node.Path} ({limit}); memory.events oom_kill {kills}", EventSeverity.Warning);
    }

    private long? TryReadOomKills(ServiceSlot slot)
    {
        try
        {
            return slot.Cgroup?.Node.ReadOomKills();
        }
        catch (LinuxException)
        {
            return null; // the cgroup went away; nothing to report
        }
    }

    private void ApplyLimits(ServiceSlot slot)
    {
        IReadOnlyList<string> problems = slot.Cgroup!.Node.ApplyLimits(
            CgroupLimit.For(slot.Definition.Resources).Where(l => !SkippedLimitFiles.Contains(l.File)));
        // Report a limit that cannot be applied once per change, never pretend it was applied.
        if (!problems.SequenceEqual(slot.LimitProblems))
            foreach (string problem in problems) _journal.Append("cgroup", slot.Name, problem, EventSeverity.Warning);
        slot.LimitProblems = problems;
    }
}
