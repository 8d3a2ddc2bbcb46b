namespace ProcessMaster.Linux.Watchers;

/// <summary>The <c>populated</c> value of a watched cgroup's <c>cgroup.events</c> changed (reported only on change).</summary>
/// <param name="Key">Watch key.</param>
/// <param name="Populated">True when the cgroup subtree now holds a process; false when it became empty (or was removed).</param>
public sealed record CgroupPopulatedChanged(string Key, bool Populated) : KernelEvent(Key);
