using ProcessMaster.Core.Lifecycle;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// The bounded spawn queue every start goes through (boot, `start all`, a restart, a single start): at most
/// <see cref="SpawnThreads.Count"/> spawns are in flight, the rest wait here in order. A service's start timeout counts
/// from the moment its spawn leaves the queue (<see cref="SpawnIssued"/>), so it measures that service's own spawn,
/// never the wait behind 999 others (1000 services entering Starting at once used to expire their 10 s deadlines on a
/// loaded machine and go to BACKOFF). Its cgroup, log descriptors and launch plan are prepared only then, too.
/// </summary>
internal sealed partial class SupervisorLoop
{
    private readonly Queue<(ServiceSlot Slot, long Generation)> _spawnQueue = new();
    private int _spawnsInFlight;
    private bool _pumpPosted;

    /// <summary>Starts <paramref name="slots"/> (boot, in order); their spawns queue.</summary>
    private void QueueBootStarts(IEnumerable<ServiceSlot> slots)
    {
        foreach (ServiceSlot slot in slots) Feed(slot, new StartRequested(Requester.System));
    }

    /// <summary>Queues the spawn of a service that has just entered Starting (called from Decide's Spawn effect).</summary>
    private void QueueSpawn(ServiceSlot slot, long generation)
    {
        _spawnQueue.Enqueue((slot, generation));
        // Not from inside Feed: issuing feeds SpawnIssued, which must not nest in the Feed that queued it.
        if (_pumpPosted) return;
        _pumpPosted = true;
        Post(() =>
        {
            _pumpPosted = false;
            PumpSpawns();
        });
    }

    /// <summary>Issues queued spawns while fewer than <see cref="SpawnThreads.Count"/> are in flight (loop thread, outside Feed).</summary>
    private void PumpSpawns()
    {
        while (_spawnsInFlight < SpawnThreads.Count && _spawnQueue.TryDequeue(out (ServiceSlot Slot, long Generation) next))
        {
            ServiceSlot slot = next.Slot;
            bool current = _slots.TryGetValue(slot.Name, out ServiceSlot? live) && ReferenceEquals(live, slot)
                && slot.SpawnInFlight && slot.SpawnGeneration == next.Generation && slot.Runtime.State == ServiceState.Starting;
            if (!current) continue;
            Feed(slot, new SpawnIssued());
            IssueSpawn(slot, next.Generation);
        }
    }
}
