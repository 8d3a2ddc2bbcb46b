using System.Globalization;

namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// A CPU bandwidth limit, i.e. the content of cgroup <c>cpu.max</c>. Grammar (reference §2.7.3):
/// <c>MAX</c> (any case) → <c>max 100000</c>; <c>100m</c> millicores → quota 100 µs per millicore per
/// 100,000 µs period; <c>1.5</c> cores → <c>150000 100000</c>; two tokens <c>"20000 100000"</c> are the
/// <c>cpu.max</c> text verbatim (quota may be <c>max</c>). The kernel's bounds are checked here:
/// a quota of at least 1000 µs (10m) and a period of 1000..1000000 µs.
/// </summary>
public readonly record struct CpuQuota
{
    /// <summary>The period used by the millicore and core forms.</summary>
    public const long DefaultPeriodMicros = 100_000;

    private const long MinQuotaMicros = 1000;
    private const long MinPeriodMicros = 1000;
    private const long MaxPeriodMicros = 1_000_000;
    private const long MaxCores = 1_000_000;

    private CpuQuota(long? quotaMicros, long periodMicros)
    {
        QuotaMicros = quotaMicros;
        PeriodMicros = periodMicros;
    }

    /// <summary>No limit: <c>max 100000</c>.</summary>
    public static CpuQuota Max { get; } = new(null, DefaultPeriodMicros);

    /// <summary>Quota in µs per period; null means <c>max</c>.</summary>
    public long? QuotaMicros { get; }

    /// <summary>Period in µs.</summary>
    public long PeriodMicros { get; }

    /// <summary>True when there is no quota.</summary>
    public bool IsMax => QuotaMicros is null;

    /// <summary>The text for <c>cpu.max</c>: <c>"{quota} {period}"</c> or <c>"max {period}"</c>.</summary>
    public string CgroupValue => (QuotaMicros?.ToString(CultureInfo.InvariantCulture) ?? "max") + " " + PeriodMicros.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses <c>MAX</c>, <c>100m</c>, <c>1.5</c> or <c>"20000 100000"</c>.</summary>
    public static bool TryParse(string text, out CpuQuota value, out string error)
    {
        value = default;
        string s = text.Trim();
        if (s.Length == 0)
        {
            error = "empty cpu value; write millicores (100m), cores (1.5), MAX, or \"QUOTA PERIOD\" in µs";
            return false;
        }

        if (s.Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            value = Max;
            error = "";
            return true;
        }

        string[] tokens = s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 2)
        {
            return TryParseVerbatim(s, tokens[0], tokens[1], out value, out error);
        }

        if (tokens.Length > 2)
        {
            error = $"invalid cpu value \"{s}\"; the verbatim form has exactly two numbers: \"QUOTA PERIOD\" (e.g. \"20000 100000\")";
            return false;
        }

        long millicores;
        if (s.EndsWith('m') || s.EndsWith('M'))
        {
            string digits = s[..^1].Trim();
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out millicores))
            {
                error = digits.Length > 0 && digits.All(char.IsAsciiDigit)
                    ? $"cpu value \"{s}\" is too large (max 1000000 cores)"
                    : $"invalid cpu value \"{s}\"; millicores must be a whole number before 'm' (e.g. 250m; use 1.5 for one and a half cores)";
                return false;
            }
        }
        else
        {
            if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal cores))
            {
                error = $"invalid cpu value \"{s}\"; write millicores (250m), cores (1.5), MAX, or \"QUOTA PERIOD\"";
                return false;
            }

            if (cores < 0)
            {
                error = $"cpu value \"{s}\" must be >= 0";
                return false;
            }

            if (cores > 1_000_000)
            {
                error = $"cpu value \"{s}\" is too large (max 1000000 cores)";
                return false;
            }

            millicores = (long)Math.Round(cores * 1000, MidpointRounding.AwayFromZero);
        }

        if (millicores > 1_000_000_000)
        {
            error = $"cpu value \"{s}\" is too large (max 1000000 cores)";
            return false;
        }

        return TryCreate(s, millicores * 100, DefaultPeriodMicros, out value, out error);
    }

    private static bool TryParseVerbatim(string s, string quotaText, string periodText, out CpuQuota value, out string error)
    {
        value = default;
        if (!long.TryParse(periodText, NumberStyles.None, CultureInfo.InvariantCulture, out long period))
        {
            if (periodText.All(char.IsAsciiDigit))
            {
                error = $"cpu value \"{s}\": period {periodText} µs is outside the kernel's range {MinPeriodMicros}..{MaxPeriodMicros}";
                return false;
            }

            error = $"invalid cpu.max value \"{s}\": period \"{periodText}\" must be a whole number of µs";
            return false;
        }

        if (quotaText.Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            return TryCreate(s, null, period, out value, out error);
        }

        if (!long.TryParse(quotaText, NumberStyles.None, CultureInfo.InvariantCulture, out long quota))
        {
            if (quotaText.All(char.IsAsciiDigit))
            {
                error = $"cpu value \"{s}\": quota {quotaText} µs is more than {MaxCores} cores; use a smaller quota, or max";
                return false;
            }

            error = $"invalid cpu.max value \"{s}\": quota \"{quotaText}\" must be a whole number of µs or max";
            return false;
        }

        return TryCreate(s, quota, period, out value, out error);
    }

    private static bool TryCreate(string s, long? quota, long period, out CpuQuota value, out string error)
    {
        value = default;
        if (period < MinPeriodMicros || period > MaxPeriodMicros)
        {
            error = $"cpu value \"{s}\": period {period} µs is outside the kernel's range {MinPeriodMicros}..{MaxPeriodMicros}";
            return false;
        }

        if (quota / period > MaxCores)
        {
            error = $"cpu value \"{s}\": quota {quota} µs per {period} µs period is more than {MaxCores} cores; use a smaller quota, or max";
            return false;
        }

        if (quota < MinQuotaMicros)
        {
            error = $"cpu value \"{s}\": quota {quota} µs is below the kernel minimum of {MinQuotaMicros} µs (10m per 100000 µs period)";
            return false;
        }

        value = new CpuQuota(quota, period);
        error = "";
        return true;
    }

    /// <summary>
    /// <c>MAX</c>; <c>250m</c> when the period is the default and the quota a whole number of millicores;
    /// else the two-token <c>cpu.max</c> text. Parses back to the same value.
    /// </summary>
    public override string ToString()
    {
        if (QuotaMicros is null && PeriodMicros == DefaultPeriodMicros)
        {
            return "MAX";
        }

        if (QuotaMicros is long q && PeriodMicros == DefaultPeriodMicros && q % 100 == 0)
        {
            return (q / 100).ToString(CultureInfo.InvariantCulture) + "m";
        }

        return CgroupValue;
    }
}
