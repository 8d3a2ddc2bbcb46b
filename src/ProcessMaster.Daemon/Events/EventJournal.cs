namespace ProcessMaster.Daemon.Events;

/// <summary>
/// The last <see cref="Capacity"/> events in memory (what <c>pmctl events</c> shows), each also handed to the
/// sinks (the daemon log file, stderr, live followers). Appending never blocks on a sink: sinks must be cheap
/// or queue the work themselves.
/// </summary>
internal sealed class EventJournal
{
    /// <summary>How many events are kept.</summary>
    public const int Capacity = 2000;

    private readonly DaemonEvent[] _ring = new DaemonEvent[Capacity];
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Action<DaemonEvent>> _sinks = [];
    private long _next;

    public EventJournal(TimeProvider time) => _time = time;

    /// <summary>Records an event and hands it to every sink.</summary>
    public DaemonEvent Append(string component, string? app, string message, EventSeverity severity = EventSeverity.Info)
    {
        DaemonEvent entry;
        Action<DaemonEvent>[] sinks;
        lock (_lock)
        {
            entry = new DaemonEvent(_next, _time.GetUtcNow(), component, app, message, severity);
            _ring[_next % Capacity] = entry;
            _next++;
            sinks = [.. _sinks];
        }
        foreach (Action<DaemonEvent> sink in sinks) sink(entry);
        return entry;
    }

    /// <summary>Adds a sink that sees every event appended from now on.</summary>
    public IDisposable Subscribe(Action<DaemonEvent> sink)
    {
        lock (_lock) _sinks.Add(sink);
        return new Subscription(this, sink);
    }

    /// <summary>The last <paramref name="count"/> events, oldest first, optionally only those of one app.</summary>
    public IReadOnlyList<DaemonEvent> Last(int count, string? app = null)
    {
        if (count <= 0) return [];
        var result = new List<DaemonEvent>(Math.Min(count, Capacity));
        lock (_lock)
        {
            long oldest = Math.Max(0, _next - Capacity);
            for (long i = _next - 1; i >= oldest && result.Count < count; i--)
            {
                DaemonEvent entry = _ring[i % Capacity];
                if (app is null || string.Equals(entry.App, app, StringComparison.Ordinal)) result.Add(entry);
            }
        }
        result.Reverse();
        return result;
    }

    private sealed class Subscription(EventJournal journal, Action<DaemonEvent> sink) : IDisposable
    {
        public void Dispose()
        {
            lock (journal._lock) journal._sinks.Remove(sink);
        }
    }
}
