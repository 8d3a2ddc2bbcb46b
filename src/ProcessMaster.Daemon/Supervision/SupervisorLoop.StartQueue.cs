namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Boot starts at most <see cref="SpawnThreads.Count"/> services at a time and the next as each spawn reports, so a
/// service's start deadline measures its own spawn, never the wait behind 999 others (1000 services entering
/// Starting at once expired their 10 s deadlines on a loaded machine and went to BACKOFF).
/// </summary>
internal sealed partial class SupervisorLoop
{
    private readonly Queue<ServiceSlot> _bootStarts = new();
    private int _spawnsInFlight;

    /// <summary>Queues boot starts of <paramref name="slots"/> (in order) and begins the first few.</summary>
    private void QueueBootStarts(IEnumerable<ServiceSlot> slots)
    {
        foreach (ServiceSlot slot in slots) _bootStarts.Enqueue(slot);
        ContinueBootStarts();
    }

    /// <summary>Starts queued boot starts while fewer than <see cref="SpawnThreads.Count"/> spawns are in flight.</summary>
    private void ContinueBootStarts()
    {
        while (_spawnsInFlight < SpawnThreads.Count && _bootStarts.TryDequeue(out ServiceSlot? slot))
            if (_slots.TryGetValue(slot.Name, out ServiceSlot? current) && ReferenceEquals(current, slot) && slot.Definition.Enabled)
                Feed(slot, new Core.Lifecycle.StartRequested(Core.Lifecycle.Requester.System));
    }
}
