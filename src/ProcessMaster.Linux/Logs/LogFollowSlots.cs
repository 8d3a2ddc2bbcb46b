using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// Bounds concurrent follow sessions (64 by default, like the original's cap). A session beyond the cap is
/// refused at once with <see cref="RefusalMessage"/>; a lease returns its slot when disposed.
/// </summary>
public sealed class LogFollowSlots
{
    private readonly int _max;
    private int _used;

    /// <summary>Allows at most <paramref name="max"/> concurrent sessions.</summary>
    public LogFollowSlots(int max = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        _max = max;
    }

    /// <summary>Sessions holding a slot.</summary>
    public int InUse => Volatile.Read(ref _used);

    /// <summary>The refusal text for a session beyond the cap.</summary>
    public string RefusalMessage => string.Create(CultureInfo.InvariantCulture,
        $"too many concurrent log-follow sessions ({_max} open, the limit); close one (Ctrl-C another 'pmctl logs -f') and try again");

    /// <summary>Takes a slot; false when all are in use.</summary>
    public bool TryAcquire([NotNullWhen(true)] out IDisposable? lease)
    {
        while (true)
        {
            int used = Volatile.Read(ref _used);
            if (used >= _max)
            {
                lease = null;
                return false;
            }
            if (Interlocked.CompareExchange(ref _used, used + 1, used) == used)
            {
                lease = new Lease(this);
                return true;
            }
        }
    }

    private sealed class Lease(LogFollowSlots owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Interlocked.Decrement(ref owner._used);
        }
    }
}
