using System.Collections.Immutable;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Restart;

/// <summary>
/// When a service crashed (stopped on its own, or failed to spawn), oldest first. Immutable, value equality.
/// Entries older than <see cref="Horizon"/> (or the policy window, if longer) are dropped when one is added,
/// and at most <see cref="Capacity"/> are kept, so the history stays small without a sweep.
/// </summary>
public sealed class RestartHistory : IEquatable<RestartHistory>
{
    /// <summary>How far back the crash counter shown to operators looks (<c>crashes_10m</c>).</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromMinutes(10);

    /// <summary>Most entries kept.</summary>
    public const int Capacity = 500;

    private RestartHistory(ImmutableArray<Moment> crashes) => Crashes = crashes;

    /// <summary>No crashes.</summary>
    public static RestartHistory Empty { get; } = new([]);

    /// <summary>The crashes, oldest first.</summary>
    public ImmutableArray<Moment> Crashes { get; }

    /// <summary>Rebuilds a history from persisted moments (sorted by monotonic time, capped).</summary>
    public static RestartHistory From(IEnumerable<Moment> crashes) =>
        new([.. crashes.OrderBy(m => m.Mono).TakeLast(Capacity)]);

    /// <summary>Adds a crash at <paramref name="now"/>, dropping entries older than the longer of
    /// <see cref="Horizon"/> and <paramref name="window"/>.</summary>
    public RestartHistory Record(Moment now, TimeSpan window)
    {
        var keep = window > Horizon ? window : Horizon;
        var kept = Crashes.Where(m => now.Mono - m.Mono <= keep).TakeLast(Capacity - 1);
        return new([.. kept, now]);
    }

    /// <summary>Crashes no older than <paramref name="window"/> at <paramref name="now"/> (an entry exactly
    /// <paramref name="window"/> old still counts).</summary>
    public int CountWithin(Moment now, TimeSpan window) =>
        Crashes.Count(m => now.Mono - m.Mono <= window && m.Mono <= now.Mono);

    /// <summary>Crashes within the last ten minutes, as shown by <c>status</c>.</summary>
    public int RecentCrashes(Moment now) => CountWithin(now, Horizon);

    /// <inheritdoc/>
    public bool Equals(RestartHistory? other) => other is not null && Crashes.SequenceEqual(other.Crashes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RestartHistory);

    /// <inheritdoc/>
    public override int GetHashCode() => Crashes.Length == 0 ? 0 : HashCode.Combine(Crashes.Length, Crashes[^1]);

    /// <inheritdoc/>
    public override string ToString() => $"{Crashes.Length} crash(es)";
}
