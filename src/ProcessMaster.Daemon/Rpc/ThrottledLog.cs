using System.Diagnostics;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// The RPC server's diagnostics as events, rate-limited: clients can cause them (a refused connection, a missed
/// handshake, a slow line), and a client that causes thousands must not flush the 2000-event journal. A token bucket
/// (<see cref="Burst"/> at once, then one per <see cref="Interval"/>), computed from timestamps: no timer. Suppressed
/// messages are counted and the count rides on the next message written.
/// </summary>
internal sealed class ThrottledLog
{
    /// <summary>Messages written at once before the limit applies.</summary>
    public const int Burst = 10;

    /// <summary>One more message per interval after a burst.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Action<string> _log;
    private readonly Lock _lock = new();
    private double _tokens = Burst;
    private long _refilledAt = Stopwatch.GetTimestamp();
    private long _suppressed;

    public ThrottledLog(Action<string> log) => _log = log;

    /// <summary>Writes <paramref name="message"/>, or counts it when over the limit.</summary>
    public void Write(string message)
    {
        long suppressed;
        lock (_lock)
        {
            long now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(Burst, _tokens + Stopwatch.GetElapsedTime(_refilledAt, now) / Interval);
            _refilledAt = now;
            if (_tokens < 1)
            {
                _suppressed++;
                return;
            }
            _tokens--;
            suppressed = _suppressed;
            _suppressed = 0;
        }
        _log(suppressed == 0 ? message : $"{message} ({suppressed} similar rpc messages were not logged before this one: too many at once)");
    }
}
