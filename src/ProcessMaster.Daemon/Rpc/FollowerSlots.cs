namespace ProcessMaster.Daemon.Rpc;

/// <summary>Counts <c>logs_follow</c> sessions across connections against a limit.</summary>
public sealed class FollowerSlots
{
    private readonly int _limit;
    private int _count;

    /// <summary>Creates the counter.</summary>
    public FollowerSlots(int limit) => _limit = limit;

    /// <summary>The limit.</summary>
    public int Limit => _limit;

    /// <summary>Sessions running now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes a slot, or returns false when all are taken.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= _limit) return true;
        Interlocked.Decrement(ref _count);
        return false;
    }

    /// <summary>Returns a slot.</summary>
    public void Exit() => Interlocked.Decrement(ref _count);
}
