namespace ProcessMaster.Linux.Watchers;

/// <summary>A watched process exited (its pidfd became readable). The watch is removed afterwards.</summary>
/// <param name="Key">Watch key.</param>
/// <param name="Pid">The pid that exited.</param>
public sealed record ProcessExited(string Key, int Pid) : KernelEvent(Key);
