namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// Daemon-level conditions an operator must see in <c>pmctl status</c> (not tied to one service), keyed by the part
/// of the daemon they concern, e.g. <c>web console: not serving: ...</c>. Thread-safe; the latest text per key wins.
/// </summary>
internal sealed class DaemonNotices
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, string> _notices = new(StringComparer.Ordinal);

    /// <summary>Sets (or with null clears) the notice of <paramref name="key"/>.</summary>
    public void Set(string key, string? text)
    {
        lock (_lock)
        {
            if (text is null) _notices.Remove(key);
            else _notices[key] = text;
        }
    }

    /// <summary>Every current notice, as <c>KEY: TEXT</c>, sorted by key.</summary>
    public IReadOnlyList<string> Current
    {
        get
        {
            lock (_lock) return [.. _notices.Select(n => $"{n.Key}: {n.Value}")];
        }
    }
}
