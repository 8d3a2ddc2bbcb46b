using System.Text;

namespace ProcessMaster.Core.Flags;

/// <summary>The result of changing an app's user flags.</summary>
/// <param name="Flags">The flags afterwards (unchanged when <see cref="Error"/> is set).</param>
/// <param name="Expired">Flags dropped because their expiry had passed (report as "expired flag=...").</param>
/// <param name="Error">Why the request was refused (nothing changed), or null.</param>
public sealed record UserFlagUpdate(FlagSet<string> Flags, IReadOnlyList<string> Expired, string? Error);

/// <summary>
/// Operator labels on an app: trimmed, lower-cased, at most <see cref="MaxNameBytes"/> UTF-8 bytes each and
/// <see cref="MaxPerApp"/> per app, each with an optional expiry. Plain labels: no rules, no effect on supervision.
/// </summary>
public static class UserFlags
{
    /// <summary>Longest accepted flag name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 50;

    /// <summary>Most user flags one app may carry.</summary>
    public const int MaxPerApp = 100;

    /// <summary>Trims and lower-cases a flag name; false if nothing is left.</summary>
    public static bool TryNormalize(string raw, out string name)
    {
        name = raw.Trim().ToLowerInvariant();
        return name.Length > 0;
    }

    /// <summary>
    /// Sets <paramref name="names"/> (normalised, empty ones dropped, duplicates merged) with
    /// <paramref name="expiry"/>, overwriting earlier expiries, after dropping flags expired at <paramref name="now"/>.
    /// Refused as a whole when no name is left, a name is too long, or the app would exceed <see cref="MaxPerApp"/>.
    /// </summary>
    public static UserFlagUpdate Set(FlagSet<string> flags, IEnumerable<string> names, DateTimeOffset? expiry, DateTimeOffset now)
    {
        var wanted = Normalize(names);
        if (wanted.Count == 0) return Refuse(flags, "no flag names given; pass one or more names, e.g. maint,canary");
        foreach (var name in wanted)
        {
            int bytes = Encoding.UTF8.GetByteCount(name);
            if (bytes > MaxNameBytes)
            {
                return Refuse(flags, $"flag \"{name}\" exceeds max length {MaxNameBytes} bytes ({bytes}); use a shorter name");
            }
        }
        var pruned = flags.Prune(now, out var expired);
        int total = pruned.Count + wanted.Count(n => !pruned.Contains(n));
        if (total > MaxPerApp)
        {
            return Refuse(flags, $"too many user flags (would become {total}, max {MaxPerApp}); unflag some first");
        }
        var result = pruned;
        foreach (var name in wanted) result = result.Set(name, expiry);
        return new UserFlagUpdate(result, expired, null);
    }

    /// <summary>Removes <paramref name="names"/> (normalised; absent ones ignored) after dropping expired flags.</summary>
    public static UserFlagUpdate Unset(FlagSet<string> flags, IEnumerable<string> names, DateTimeOffset now)
    {
        var wanted = Normalize(names);
        if (wanted.Count == 0) return Refuse(flags, "no flag names given; pass one or more names, e.g. maint,canary");
        var result = flags.Prune(now, out var expired);
        foreach (var name in wanted) result = result.Remove(name);
        return new UserFlagUpdate(result, expired, null);
    }

    /// <summary>
    /// Rebuilds an app's flags from persisted state: expired entries, empty names and names over
    /// <see cref="MaxNameBytes"/> are dropped; of the rest, the first <see cref="MaxPerApp"/> in ordinal order are kept.
    /// </summary>
    public static FlagSet<string> Restore(IEnumerable<KeyValuePair<string, DateTimeOffset?>> persisted, DateTimeOffset now)
    {
        var result = FlagSet<string>.Empty;
        foreach (var (raw, expiry) in persisted.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (result.Count == MaxPerApp) break;
            if (!TryNormalize(raw, out var name) || Encoding.UTF8.GetByteCount(name) > MaxNameBytes) continue;
            if (expiry is { } e && e <= now) continue;
            result = result.Set(name, expiry);
        }
        return result;
    }

    private static List<string> Normalize(IEnumerable<string> names)
    {
        var list = new List<string>();
        foreach (var raw in names)
        {
            if (TryNormalize(raw, out var name) && !list.Contains(name)) list.Add(name);
        }
        return list;
    }

    private static UserFlagUpdate Refuse(FlagSet<string> flags, string error) => new(flags, [], error);
}
