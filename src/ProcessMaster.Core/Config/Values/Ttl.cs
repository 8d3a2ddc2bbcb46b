using System.Globalization;
using System.Text;

namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// A flag time-to-live (reference §5.6): one or more <c>&lt;digits&gt;&lt;unit&gt;</c> groups with units
/// <c>d h m s ms</c> in strictly decreasing order, no whitespace, no decimals, case-insensitive:
/// <c>1500ms</c>, <c>10m</c>, <c>3h1m</c>, <c>5d4h3m2s1ms</c>, <c>0s</c>.
/// </summary>
public readonly record struct Ttl(long Milliseconds)
{
    private static readonly (string Unit, long Factor)[] Units =
        [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)];

    /// <summary>The same span as a <see cref="System.TimeSpan"/>.</summary>
    public TimeSpan TimeSpan => TimeSpan.FromMilliseconds(Milliseconds);

    /// <summary>Parses a TTL such as <c>3h1m</c>.</summary>
    public static bool TryParse(string text, out Ttl value, out string error)
    {
        value = default;
        string s = text.Trim();
        if (s.Length == 0)
        {
            error = "empty ttl; write e.g. 30s, 10m, 3h1m or 1d";
            return false;
        }

        if (s.Any(char.IsWhiteSpace))
        {
            error = $"ttl \"{s}\" must not contain whitespace; write e.g. 1h1m";
            return false;
        }

        s = s.ToLowerInvariant();
        long total = 0;
        int lastRank = -1;
        string lastUnit = "";
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                error = $"ttl \"{text.Trim()}\": expected a number at offset {i}; write e.g. 3h1m";
                return false;
            }

            string digits = s[start..i];
            if (i == s.Length)
            {
                error = $"ttl \"{text.Trim()}\": missing unit after {digits}; use d, h, m, s or ms";
                return false;
            }

            int rank = -1;
            string unit = "";
            if (s.AsSpan(i).StartsWith("ms"))
            {
                (rank, unit) = (4, "ms");
            }
            else
            {
                int idx = Array.FindIndex(Units, u => u.Unit.Length == 1 && u.Unit[0] == s[i]);
                if (idx >= 0)
                {
                    (rank, unit) = (idx, Units[idx].Unit);
                }
            }

            if (rank < 0)
            {
                error = $"ttl \"{text.Trim()}\": invalid unit at offset {i}; use d, h, m, s or ms";
                return false;
            }

            if (rank <= lastRank)
            {
                error = $"ttl \"{text.Trim()}\": units must go from larger to smaller (e.g. 3h1m); got {unit} after {lastUnit}";
                return false;
            }

            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                error = $"ttl \"{text.Trim()}\": number {digits} is too large";
                return false;
            }

            try
            {
                total = checked(total + checked(n * Units[rank].Factor));
            }
            catch (OverflowException)
            {
                error = $"ttl \"{text.Trim()}\" is too large";
                return false;
            }

            i += unit.Length;
            lastRank = rank;
            lastUnit = unit;
        }

        value = new Ttl(total);
        error = "";
        return true;
    }

    /// <summary>Canonical text, e.g. <c>5d4h3m2s1ms</c>; zero is <c>0s</c>. Parses back to the same value.</summary>
    public override string ToString()
    {
        if (Milliseconds == 0)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        long rest = Milliseconds;
        foreach ((string unit, long factor) in Units)
        {
            if (rest >= factor)
            {
                sb.Append((rest / factor).ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest %= factor;
            }
        }

        return sb.ToString();
    }
}
