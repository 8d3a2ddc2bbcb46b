using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Web.Auth;

/// <summary>
/// Journals failed logins (a request that carried credentials) without letting a flood fill the journal: per source
/// address the first <see cref="Burst"/> are journaled one by one, then at most one per <see cref="Quiet"/> carrying the
/// number suppressed since. At most <see cref="MaxSources"/> addresses are tracked (oldest forgotten first). The user is
/// named only when it is a configured one; an unknown name is never echoed.
/// </summary>
internal sealed class LoginFailureLog(EventJournal journal, TimeProvider time)
{
    public const int Burst = 3;
    public const int MaxSources = 256;
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public void Record(string address, string? knownUser, string reason)
    {
        DateTimeOffset now = time.GetUtcNow();
        long suppressed;
        lock (_lock)
        {
            if (!_sources.TryGetValue(address, out Source? source))
            {
                source = new Source();
                _sources[address] = source;
                _order.Enqueue(address);
                while (_order.Count > MaxSources) _sources.Remove(_order.Dequeue());
            }
            source.Count++;
            if (source.Count > Burst && now - source.LastLogged < Quiet)
            {
                source.Suppressed++;
                return;
            }
            suppressed = source.Suppressed;
            source.Suppressed = 0;
            source.LastLogged = now;
        }
        journal.Append("web", null, $"auth_failure ip={address} user={knownUser ?? "-"} reason={reason} suppressed_since_last={suppressed}", EventSeverity.Warning);
    }

    private sealed class Source
    {
        public long Count;
        public long Suppressed;
        public DateTimeOffset LastLogged;
    }
}
