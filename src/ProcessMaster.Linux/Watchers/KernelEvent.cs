namespace ProcessMaster.Linux.Watchers;

/// <summary>A fact the kernel reported for a watched key. Delivered through the owner's channel, never on the watcher thread's logic.</summary>
/// <param name="Key">The key the owner registered the watch under.</param>
public abstract record KernelEvent(string Key);
