namespace ProcessMaster.Core.Flags;

/// <summary>
/// The TTL grammar of <c>pmctl flag --ttl</c>: one or more <c>&lt;digits&gt;&lt;unit&gt;</c> groups, units
/// <c>d h m s ms</c> strictly from larger to smaller, no whitespace, case-insensitive, no decimals
/// (e.g. <c>1500ms</c>, <c>10m</c>, <c>3h1m</c>, <c>5d4h3m2s1ms</c>; <c>0s</c> is valid).
/// </summary>
public static class FlagTtl
{
    private static readonly (string Unit, long Millis)[] Units =
        [("ms", 1), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)];

    private static readonly long MaxMillis = TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMillisecond;

    /// <summary>Parses a TTL; on failure <paramref name="error"/> says what is wrong and where.</summary>
    public static bool TryParse(string text, out TimeSpan ttl, out string error)
    {
        ttl = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0) return Fail("empty ttl", out error);
        if (s.Any(char.IsWhiteSpace)) return Fail("ttl must not contain whitespace (e.g. 1h30m)", out error);
        s = s.ToLowerInvariant();

        long total = 0;
        long previousUnit = long.MaxValue;
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return Fail($"ttl: expected number at offset {i} (e.g. 3h1m)", out error);
            var digits = s[start..i];
            if (!long.TryParse(digits, System.Globalization.NumberStyles.None, null, out long number))
            {
                return Fail($"ttl: number {digits} is too large", out error);
            }
            if (i == s.Length) return Fail($"ttl: missing unit after {digits} (use d, h, m, s or ms)", out error);
            var match = Units.FirstOrDefault(u => s.AsSpan(i).StartsWith(u.Unit, StringComparison.Ordinal));
            if (match.Unit is null) return Fail($"ttl: invalid unit at offset {i} (use d, h, m, s or ms)", out error);
            if (match.Millis >= previousUnit)
            {
                return Fail($"ttl: units must go from larger to smaller (e.g. 3h1m); got {match.Unit} after smaller/equal unit", out error);
            }
            previousUnit = match.Millis;
            i += match.Unit.Length;
            if (number > (MaxMillis - total) / match.Millis) return Fail("ttl overflow", out error);
            total += number * match.Millis;
        }
        ttl = TimeSpan.FromMilliseconds(total);
        error = "";
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
