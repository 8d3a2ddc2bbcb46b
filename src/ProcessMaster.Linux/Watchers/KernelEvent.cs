namespace ProcessMaster.Linux.Watchers;

/// <summary>A fact the kernel reported for a watched key. Delivered through the owner's channel, never on the watcher thread's logic.</summary>
/// <param name="Key">The key the owner registered the watch under.</param>
public abstract record KernelEvent(string Key);

/// <summary>The <c>populated</c> value of a watched cgroup's <c>cgroup.events</c> changed (reported only on change).</summary>
/// <param name="Key">Watch key.</param>
/// <param name="Populated">True when the cgroup subtree now holds a process; false when it became empty (or was removed).</param>
public sealed record CgroupPopulatedChanged(string Key, bool Populated) : KernelEvent(Key);

/// <summary>A watched process exited (its pidfd became readable). The watch is removed afterwards.</summary>
/// <param name="Key">Watch key.</param>
/// <param name="Pid">The pid that exited.</param>
public sealed record ProcessExited(string Key, int Pid) : KernelEvent(Key);
