namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Deadlines by <see cref="DeadlineKey"/> (a service's state deadline, a flag expiry, a cron occurrence), with ONE timer armed for the earliest
/// (STYLE §9.3): nothing wakes the daemon unless something is due. Owned by the supervision loop thread:
/// not thread-safe; the timer callback only posts <see cref="Due"/> to the loop.
/// A deadline may lie years ahead (a yearly cron job, a far <c>not_before</c>, a 60-day flag TTL) while a .NET
/// timer accepts at most 2^32-2 ms (~49.7 days): the timer is armed for at most <see cref="MaxTimerDelay"/>
/// and simply re-armed when it fires before anything is due.
/// </summary>
internal sealed class DeadlineSchedule : IDisposable
{
    private readonly Dictionary<DeadlineKey, TimeSpan> _due = [];
    private readonly DaemonClock _clock;
    private readonly ITimer _timer;
    private TimeSpan? _armedFor;

    /// <summary>The longest single timer arm; a later deadline is reached in several arms.</summary>
    public static readonly TimeSpan MaxTimerDelay = TimeSpan.FromHours(1);

    /// <param name="clock">Monotonic time.</param>
    /// <param name="fired">Called on a timer thread when the earliest deadline may have passed; post to the loop.</param>
    public DeadlineSchedule(DaemonClock clock, Action fired)
    {
        _clock = clock;
        _timer = clock.Time.CreateTimer(_ => fired(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Sets (or with null, clears) the deadline for <paramref name="key"/>, in monotonic time.</summary>
    public void Set(DeadlineKey key, TimeSpan? due)
    {
        if (due is { } at) _due[key] = at;
        else if (!_due.Remove(key)) return;
        Rearm();
    }

    /// <summary>Removes and returns every key whose deadline is at or before <paramref name="now"/>; re-arms for the rest.</summary>
    public IReadOnlyList<DeadlineKey> Due(TimeSpan now)
    {
        var due = new List<DeadlineKey>();
        foreach (var (key, at) in _due)
            if (at <= now) due.Add(key);
        foreach (DeadlineKey key in due) _due.Remove(key);
        _armedFor = null;
        Rearm();
        return due;
    }

    /// <summary>Clears every deadline of <paramref name="service"/> (it is forgotten).</summary>
    public void Clear(string service)
    {
        foreach (DeadlineKind kind in Enum.GetValues<DeadlineKind>()) Set(new DeadlineKey(kind, service), null);
    }

    /// <summary>The deadline set for <paramref name="key"/>, if any.</summary>
    public TimeSpan? DueAt(DeadlineKey key) => _due.TryGetValue(key, out TimeSpan at) ? at : null;

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
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay + TimeSpan.FromMilliseconds(1);
        if (delay > MaxTimerDelay)
        {
            // Fires early on purpose: Due() then finds nothing due and re-arms for the rest.
            delay = MaxTimerDelay;
            _armedFor = null;
        }
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }
}
