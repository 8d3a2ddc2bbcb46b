namespace ProcessMaster.Daemon.Web;

/// <summary>
/// Open console connections (a live status or event stream holds its connection open, so it counts too) and the idle
/// time after the last one closed. One one-shot timer, armed when the count drops to zero and disarmed when a connection
/// opens: nothing wakes while the server is stopped. <see cref="IdleReached"/> may be late or early by a race with a new
/// connection; whoever acts on it checks <see cref="IsIdle"/> again.
/// </summary>
internal sealed class ConsoleActivity : IDisposable
{
    private readonly TimeSpan? _idle;
    private readonly ITimer _timer;
    private int _open;

    /// <param name="idle">How long without connections before <paramref name="idleReached"/>; null: never.</param>
    /// <param name="idleReached">Called on a timer thread; must return quickly.</param>
    public ConsoleActivity(TimeProvider time, TimeSpan? idle, Action idleReached)
    {
        _idle = idle;
        _timer = time.CreateTimer(_ => idleReached(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Connections accepted and not yet closed.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>No connection is open.</summary>
    public bool IsIdle => Open == 0;

    /// <summary>A connection was accepted.</summary>
    public void Opened()
    {
        if (Interlocked.Increment(ref _open) == 1) _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A connection closed (or was refused after its accept).</summary>
    public void Closed()
    {
        if (Interlocked.Decrement(ref _open) == 0 && _idle is { } idle) _timer.Change(idle, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();
}
