namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Deadlines by key (an app's state deadline, a flag expiry), with ONE timer armed for the earliest
/// (STYLE §9.3): nothing wakes the daemon unless something is due. Owned by the supervision loop thread:
/// not thread-safe; the timer callback only posts <see cref="Due"/> to the loop.
/// </summary>
internal sealed class DeadlineSchedule : IDisposable
{
    /// <summary>The longest delay a timer accepts (<c>Timer.MaxSupportedTimeout</c>, 0xfffffffe ms).</summary>
    internal static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly Dictionary<string, TimeSpan> _due = new(StringComparer.Ordinal);
    private readonly DaemonClock _clock;
    private readonly ITimer _timer;
    private TimeSpan? _armedFor;

    /// <param name="clock">Monotonic time.</param>
    /// <param name="fired">Called on a timer thread when the earliest deadline may have passed; post to the loop.</param>
    public DeadlineSchedule(DaemonClock clock, Action fired)
    {
        _clock = clock;
        _timer = clock.Time.CreateTimer(_ => fired(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Sets (or with null, clears) the deadline for <paramref name="key"/>, in monotonic time.</summary>
    public void Set(string key, TimeSpan? due)
    {
        if (due is { } at) _due[key] = at;
        else if (!_due.Remove(key)) return;
        Rearm();
    }

    /// <summary>Removes and returns every key whose deadline is at or before <paramref name="now"/>; re-arms for the rest.</summary>
    public IReadOnlyList<string> Due(TimeSpan now)
    {
        var due = new List<string>();
        foreach (var (key, at) in _due)
            if (at <= now) due.Add(key);
        foreach (string key in due) _due.Remove(key);
        _armedFor = null;
        Rearm();
        return due;
    }

    /// <summary>How many deadlines are pending (for tests and status).</summary>
    public int Count => _due.Count;

    public void Dispose() => _timer.Dispose();

    private void Rearm()
    {
        TimeSpan? earliest = null;
        foreach (TimeSpan at in _due.Values)
            if (earliest is null || at < earliest) earliest = at;
        if (earliest == _armedFor) return;
        _armedFor = earliest;
        if (earliest is not { } when)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        TimeSpan delay = when - _clock.Mono();
        // A timer fires at the earliest after its delay; add a millisecond so the deadline has surely passed.
        // Timers take at most MaxTimerDelay (about 49.7 days; more throws): a later deadline (a yearly cron job, a long
        // backoff) wakes the loop once on the way, finds nothing due, and re-arms for the rest.
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay + TimeSpan.FromMilliseconds(1);
        _timer.Change(delay > MaxTimerDelay ? MaxTimerDelay : delay, Timeout.InfiniteTimeSpan);
    }
}
