using System.Globalization;

namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// A non-negative duration in whole milliseconds. Grammar (reference §2.7.1): a decimal number and a
/// unit <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c> (case-insensitive, optional space): <c>500ms</c>,
/// <c>30s</c>, <c>1.5m</c>, <c>2h</c>. A bare number has no unit and is rejected (integer YAML values of
/// keys that take milliseconds are handled by the parser, not here). Compound forms (<c>1h30m</c>)
/// and days are rejected as in the original. At most <see cref="MaxMilliseconds"/> (3650 days): every accepted
/// duration fits a <see cref="System.TimeSpan"/> and can be added to any clock reading without overflow.
/// </summary>
public readonly record struct Duration(long Milliseconds)
{
    /// <summary>The longest duration accepted anywhere in a configuration: 3650 days (about ten years).</summary>
    public const long MaxMilliseconds = 3650L * 24 * 3_600_000;

    private static readonly (string Unit, long Factor)[] Units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];

    /// <summary>Zero.</summary>
    public static Duration Zero => default;

    /// <summary>The same span as a <see cref="System.TimeSpan"/>.</summary>
    public TimeSpan TimeSpan => TimeSpan.FromMilliseconds(Milliseconds);

    /// <summary>A duration of <paramref name="ms"/> milliseconds.</summary>
    public static Duration FromMilliseconds(long ms) => new(ms);

    /// <summary>Parses <c>500ms</c>, <c>30s</c>, <c>1.5m</c>, <c>2h</c>.</summary>
    public static bool TryParse(string text, out Duration value, out string error)
    {
        value = default;
        string s = text.Trim();
        if (s.Length == 0)
        {
            error = "empty duration; write a number with a unit, e.g. 500ms, 30s, 1.5m, 2h";
            return false;
        }

        int split = 0;
        while (split < s.Length && (char.IsAsciiDigit(s[split]) || s[split] == '.'))
        {
            split++;
        }

        if (split == 0 || split == s.Length)
        {
            error = $"invalid duration \"{s}\"; write a number with a unit ms, s, m or h, e.g. 500ms, 30s, 1.5m, 2h";
            return false;
        }

        string unit = s[split..].Trim().ToLowerInvariant();
        long factor = 0;
        foreach ((string u, long f) in Units)
        {
            if (u == unit)
            {
                factor = f;
            }
        }

        if (factor == 0)
        {
            error = $"unknown duration unit \"{s[split..].Trim()}\" in \"{s}\"; use ms, s, m or h with a single number (e.g. 90m, not 1h30m)";
            return false;
        }

        if (!decimal.TryParse(s[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal n))
        {
            error = $"invalid duration number \"{s[..split]}\" in \"{s}\"";
            return false;
        }

        if (n > MaxMilliseconds / (decimal)factor)
        {
            error = TooLong($"\"{s}\"");
            return false;
        }

        value = new Duration((long)Math.Round(n * factor, MidpointRounding.AwayFromZero));
        error = "";
        return true;
    }

    /// <summary>A whole number of milliseconds, as the <c>*_ms</c> keys take it; at most <see cref="MaxMilliseconds"/>.</summary>
    public static bool TryFromMilliseconds(ulong ms, out Duration value, out string error)
    {
        value = default;
        if (ms > MaxMilliseconds)
        {
            error = TooLong($"{ms} ms");
            return false;
        }

        value = new Duration((long)ms);
        error = "";
        return true;
    }

    private static string TooLong(string what) =>
        $"duration {what} is too large (at most {MaxMilliseconds} ms, 3650 days); use a shorter duration";

    /// <summary>
    /// Like <see cref="TryParse(string, out Duration, out string)"/>, but <c>never</c> (any case) or blank
    /// means "no limit" and yields null.
    /// </summary>
    public static bool TryParseOrNever(string text, out Duration? value, out string error)
    {
        string s = text.Trim();
        if (s.Length == 0 || s.Equals("never", StringComparison.OrdinalIgnoreCase))
        {
            value = null;
            error = "";
            return true;
        }

        bool ok = TryParse(s, out Duration d, out error);
        value = ok ? d : null;
        if (!ok)
        {
            error += " (or never for no limit)";
        }

        return ok;
    }

    /// <summary>The largest exact unit: <c>2h</c>, <c>90s</c>, <c>1500ms</c>; parses back to the same value.</summary>
    public override string ToString()
    {
        for (int i = Units.Length - 1; i >= 1; i--)
        {
            if (Milliseconds != 0 && Milliseconds % Units[i].Factor == 0)
            {
                return (Milliseconds / Units[i].Factor).ToString(CultureInfo.InvariantCulture) + Units[i].Unit;
            }
        }

        return Milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
