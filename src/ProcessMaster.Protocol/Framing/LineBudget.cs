namespace ProcessMaster.Protocol.Framing;

/// <summary>
/// Bytes that line buffers may hold beyond their small initial size, shared by every connection of a server, so
/// that many clients sending large unfinished lines cannot make the daemon buffer more than <see cref="Limit"/>
/// together (N-05). Thread-safe.
/// </summary>
public sealed class LineBudget
{
    private long _inUse;

    /// <summary>A budget of <paramref name="limit"/> bytes.</summary>
    public LineBudget(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Limit = limit;
    }

    /// <summary>The most bytes all buffers together may hold beyond their initial size.</summary>
    public long Limit { get; }

    /// <summary>Bytes taken now.</summary>
    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>Takes <paramref name="bytes"/>, or returns false (taking nothing) when that would exceed the limit.</summary>
    public bool TryTake(long bytes)
    {
        while (true)
        {
            long used = Interlocked.Read(ref _inUse);
            if (used + bytes > Limit) return false;
            if (Interlocked.CompareExchange(ref _inUse, used + bytes, used) == used) return true;
        }
    }

    /// <summary>Gives back bytes taken earlier.</summary>
    public void Return(long bytes) => Interlocked.Add(ref _inUse, -bytes);
}
