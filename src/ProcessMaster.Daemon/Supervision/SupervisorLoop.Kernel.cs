using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Watchers;

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
            _journal.Append("watch", slot.Name, $"cannot read {slot.Cgroup.Node.Path}/cgroup.events: {e.Message}; treating it as running");
            return;
        }
        if (populated == slot.Runtime.Populated) return;
        if (!populated && slot.MainAlive) return; // MainExited comes first; it calls SyncPopulated again.
        if (!populated) NoteOomKills(slot);
        Feed(slot, populated ? new CgroupPopulated() : new CgroupEmptied());
    }

    /// <summary>Creates (or opens) the app cgroup, writes its limits and watches its <c>cgroup.events</c>.</summary>
    private void EnsureCgroup(ServiceSlot slot)
    {
        if (slot.Cgroup is null)
        {
            slot.Cgroup = _master.OpenApp(slot.Name);
            _watcher.WatchCgroup(slot.Name, slot.Cgroup.Node);
            slot.OomKillsSeen = TryReadOomKills(slot);
        }
        ApplyLimits(slot);
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
        _journal.Append("oom", slot.Name, $"the kernel OOM-killed {added} process(es) in {slot.Cgroup!.Node.Path} ({limit}); memory.events oom_kill {kills}");
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
        var problems = new List<string>();
        IEnumerable<CgroupLimit> limits = ResourceLimitMapping.ToCgroupLimits(slot.Definition.Resources)
            .Where(l => !SkippedLimitFiles.Contains(l.File));
        foreach (LimitWriteResult result in slot.Cgroup!.Node.WriteLimits(limits))
        {
            if (result.IsApplied || ResourceLimitMapping.IsUnlimited(result.Limit)) continue;
            problems.Add(result.Message);
        }
        // Report a limit that cannot be applied once per change, never pretend it was applied.
        if (!problems.SequenceEqual(slot.LimitProblems))
            foreach (string problem in problems) _journal.Append("cgroup", slot.Name, problem);
        slot.LimitProblems = problems;
    }
}
