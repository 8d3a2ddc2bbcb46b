using System.Collections;
using System.Collections.Immutable;

namespace ProcessMaster.Core.Flags;

/// <summary>
/// An immutable set of flags, each with an optional expiry (wall clock; a flag is present while
/// its expiry is null or later than now). Ordered: <see cref="SystemFlag"/> by declaration order,
/// strings ordinally. Value equality. Used for system flags (<c>FlagSet&lt;SystemFlag&gt;</c>) and
/// user flags (<c>FlagSet&lt;string&gt;</c>).
/// </summary>
/// <typeparam name="TKey">The flag type.</typeparam>
public sealed class FlagSet<TKey> : IEquatable<FlagSet<TKey>>, IReadOnlyCollection<KeyValuePair<TKey, DateTimeOffset?>>
    where TKey : notnull
{
    private readonly ImmutableSortedDictionary<TKey, DateTimeOffset?> _items;

    private FlagSet(ImmutableSortedDictionary<TKey, DateTimeOffset?> items) => _items = items;

    /// <summary>The empty set.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Like ImmutableArray<T>.Empty: the natural spelling.")]
    public static FlagSet<TKey> Empty { get; } = new(ImmutableSortedDictionary.Create<TKey, DateTimeOffset?>(
        typeof(TKey) == typeof(string) ? (IComparer<TKey>)(object)StringComparer.Ordinal : Comparer<TKey>.Default));

    /// <summary>Number of flags held (expired ones included until <see cref="Prune"/>).</summary>
    public int Count => _items.Count;

    /// <summary>The flags held, in order.</summary>
    public IEnumerable<TKey> Names => _items.Keys;

    /// <summary>The earliest expiry of any flag, so the shell can arm one timer; null when none expires.</summary>
    public DateTimeOffset? NextExpiry
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var expiry in _items.Values)
            {
                if (expiry is { } e && (next is null || e < next)) next = e;
            }
            return next;
        }
    }

    /// <summary>Whether <paramref name="flag"/> is held (regardless of expiry; prune first).</summary>
    public bool Contains(TKey flag) => _items.ContainsKey(flag);

    /// <summary>The expiry of a held flag (null = never); false if not held.</summary>
    public bool TryGetExpiry(TKey flag, out DateTimeOffset? expiry) => _items.TryGetValue(flag, out expiry);

    /// <summary>Sets <paramref name="flag"/>, overwriting any previous expiry.</summary>
    public FlagSet<TKey> Set(TKey flag, DateTimeOffset? expiry = null) => new(_items.SetItem(flag, expiry));

    /// <summary>Removes <paramref name="flag"/> if held.</summary>
    public FlagSet<TKey> Remove(TKey flag) => _items.ContainsKey(flag) ? new(_items.Remove(flag)) : this;

    /// <summary>Removes every flag whose expiry is at or before <paramref name="now"/>.</summary>
    /// <param name="now">The current wall-clock time.</param>
    /// <param name="expired">The flags removed, in order.</param>
    public FlagSet<TKey> Prune(DateTimeOffset now, out IReadOnlyList<TKey> expired)
    {
        List<TKey>? gone = null;
        foreach (var (flag, expiry) in _items)
        {
            if (expiry is { } e && e <= now) (gone ??= []).Add(flag);
        }
        expired = gone ?? (IReadOnlyList<TKey>)[];
        return gone is null ? this : new(_items.RemoveRange(gone));
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<TKey, DateTimeOffset?>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(FlagSet<TKey>? other) =>
        other is not null && (ReferenceEquals(this, other) || (_items.Count == other._items.Count
            && _items.All(kv => other._items.TryGetValue(kv.Key, out var e) && e == kv.Value)));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FlagSet<TKey>);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (flag, expiry) in _items)
        {
            hash.Add(flag);
            hash.Add(expiry);
        }
        return hash.ToHashCode();
    }

    /// <summary>The keys, comma-joined in order (expiries omitted).</summary>
    public override string ToString() => string.Join(',', _items.Keys);
}
