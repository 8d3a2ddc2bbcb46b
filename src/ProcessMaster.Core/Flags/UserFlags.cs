using System.Globalization;
using System.Text;

namespace ProcessMaster.Core.Flags;

/// <summary>The result of changing a service's user flags.</summary>
/// <param name="Flags">The flags afterwards (unchanged when <see cref="Error"/> is set).</param>
/// <param name="Expired">Flags dropped because their expiry had passed (report as "expired flag=...").</param>
/// <param name="Error">Why the request was refused (nothing changed), or null.</param>
public sealed record UserFlagUpdate(FlagSet<string> Flags, IReadOnlyList<string> Expired, string? Error);

/// <summary>
/// Operator labels on a service: trimmed, lower-cased, made of <see cref="AllowedCharacters"/> only, at most
/// <see cref="MaxNameBytes"/> UTF-8 bytes each and <see cref="MaxPerApp"/> per service, each with an optional expiry.
/// Plain labels: no rules, no effect on supervision.
/// <para>Every request is checked on its raw input before any other work (count, then each name's length), and
/// normalised in one linear pass (N-07): a request of a million flags costs one comparison, not a quadratic
/// de-duplication on the supervision loop.</para>
/// </summary>
public static class UserFlags
{
    /// <summary>Longest accepted flag name, in UTF-8 bytes, counted on the raw name (before trimming).</summary>
    public const int MaxNameBytes = 50;

    /// <summary>Most user flags one service may carry, and most names one request may carry.</summary>
    public const int MaxPerApp = 100;

    /// <summary>The characters a flag name may use (after lower-casing), as operators read them.</summary>
    public const string AllowedCharacters = "a-z 0-9 _ . : -";

    /// <summary>True for a normalised name: 1..<see cref="MaxNameBytes"/> characters of <see cref="AllowedCharacters"/>.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > MaxNameBytes) return false;
        foreach (char c in name)
        {
            if (!IsAllowed(c)) return false;
        }
        return true;
    }

    /// <summary>
    /// Checks and normalises one request's names: more than <see cref="MaxPerApp"/> names, or a raw name over
    /// <see cref="MaxNameBytes"/> bytes, is refused before anything else; then each is trimmed and lower-cased,
    /// empty ones dropped, a character outside <see cref="AllowedCharacters"/> refused, duplicates merged (first
    /// wins). At least one name must remain.
    /// </summary>
    public static bool TryParseNames(IReadOnlyList<string?> raw, out IReadOnlyList<string> names, out string error)
    {
        names = [];
        if (raw.Count > MaxPerApp)
        {
            error = $"too many flags in one request ({raw.Count}; at most {MaxPerApp}); send fewer";
            return false;
        }
        foreach (string? name in raw)
        {
            if (name is null || !IsTooLong(name, out string size)) continue;
            string shown = name.Length > 60 ? string.Concat(name.AsSpan(0, 60), "…") : name;
            error = $"flag \"{shown}\" exceeds max length {MaxNameBytes} bytes ({size}); use a shorter name";
            return false;
        }
        var seen = new HashSet<string>(raw.Count, StringComparer.Ordinal);
        var result = new List<string>(raw.Count);
        foreach (string? name in raw)
        {
            string flag = (name ?? "").Trim().ToLowerInvariant();
            if (flag.Length == 0) continue;
            foreach (char c in flag)
            {
                if (IsAllowed(c)) continue;
                error = $"flag \"{flag}\": the character U+{(int)c:X4} is not allowed; user flags use only {AllowedCharacters} (upper case is lower-cased)";
                return false;
            }
            if (seen.Add(flag)) result.Add(flag);
        }
        if (result.Count == 0)
        {
            error = "no flags provided; pass one or more names, e.g. maint,canary";
            return false;
        }
        names = result;
        error = "";
        return true;
    }

    /// <summary>
    /// Sets <paramref name="names"/> (checked and normalised by <see cref="TryParseNames"/>) with
    /// <paramref name="expiry"/>, overwriting earlier expiries, after dropping flags expired at <paramref name="now"/>.
    /// Refused as a whole when the names are refused or the service would exceed <see cref="MaxPerApp"/>.
    /// </summary>
    public static UserFlagUpdate Set(FlagSet<string> flags, IReadOnlyList<string> names, DateTimeOffset? expiry, DateTimeOffset now)
    {
        if (!TryParseNames(names, out IReadOnlyList<string> wanted, out string error)) return Refuse(flags, error);
        var pruned = flags.Prune(now, out var expired);
        int total = pruned.Count;
        foreach (string name in wanted)
        {
            if (!pruned.Contains(name)) total++;
        }
        if (total > MaxPerApp)
        {
            return Refuse(flags, $"too many user flags (would become {total}, max {MaxPerApp}); unflag some first");
        }
        var result = pruned;
        foreach (var name in wanted) result = result.Set(name, expiry);
        return new UserFlagUpdate(result, expired, null);
    }

    /// <summary>Removes <paramref name="names"/> (checked and normalised; absent ones ignored) after dropping expired flags.</summary>
    public static UserFlagUpdate Unset(FlagSet<string> flags, IReadOnlyList<string> names, DateTimeOffset now)
    {
        if (!TryParseNames(names, out IReadOnlyList<string> wanted, out string error)) return Refuse(flags, error);
        var result = flags.Prune(now, out var expired);
        foreach (var name in wanted) result = result.Remove(name);
        return new UserFlagUpdate(result, expired, null);
    }

    /// <summary>
    /// Rebuilds a service's flags from persisted state: expired entries and names that are not valid after trimming
    /// and lower-casing (empty, too long, a character outside <see cref="AllowedCharacters"/>) are dropped; of the
    /// rest, the first <see cref="MaxPerApp"/> in ordinal order are kept.
    /// </summary>
    public static FlagSet<string> Restore(IEnumerable<KeyValuePair<string, DateTimeOffset?>> persisted, DateTimeOffset now)
    {
        var result = FlagSet<string>.Empty;
        foreach (var (raw, expiry) in persisted.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (result.Count == MaxPerApp) break;
            if (raw.Length > 4 * MaxNameBytes) continue;
            string name = raw.Trim().ToLowerInvariant();
            if (!IsValidName(name)) continue;
            if (expiry is { } e && e <= now) continue;
            result = result.Set(name, expiry);
        }
        return result;
    }

    /// <summary>Over <see cref="MaxNameBytes"/> UTF-8 bytes? A string too long to be valid is not even counted.</summary>
    private static bool IsTooLong(string name, out string size)
    {
        // UTF-8 never has fewer bytes than UTF-16 code units.
        if (name.Length > 4 * MaxNameBytes)
        {
            size = $"over {4 * MaxNameBytes}";
            return true;
        }
        int bytes = Encoding.UTF8.GetByteCount(name);
        size = bytes.ToString(CultureInfo.InvariantCulture);
        return bytes > MaxNameBytes;
    }

    private static bool IsAllowed(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or ':' or '-';

    private static UserFlagUpdate Refuse(FlagSet<string> flags, string error) => new(flags, [], error);
}
