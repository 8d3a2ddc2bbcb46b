using System.Globalization;

namespace ProcessMaster.Linux.Cgroups;

/// <summary>The <c>cpu.stat</c> of a cgroup (always present on cgroup v2; the throttling keys only with the cpu controller).</summary>
/// <param name="UsageUsec">CPU time used by the subtree, in microseconds.</param>
/// <param name="UserUsec">User-mode part of it.</param>
/// <param name="SystemUsec">Kernel-mode part of it.</param>
/// <param name="NrPeriods">Enforcement periods elapsed (cpu controller only).</param>
/// <param name="NrThrottled">Periods in which the group was throttled (cpu controller only).</param>
/// <param name="ThrottledUsec">Time spent throttled (cpu controller only).</param>
public sealed record CpuStat(ulong UsageUsec, ulong UserUsec, ulong SystemUsec, ulong? NrPeriods, ulong? NrThrottled, ulong? ThrottledUsec)
{
    /// <summary>Parses <c>key value</c> lines; unknown keys are ignored.</summary>
    public static CpuStat Parse(string text)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (kv.Length == 2 && ulong.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
            {
                values[kv[0]] = v;
            }
        }

        ulong? Get(string key) => values.TryGetValue(key, out ulong v) ? v : null;
        return new CpuStat(Get("usage_usec") ?? 0, Get("user_usec") ?? 0, Get("system_usec") ?? 0,
            Get("nr_periods"), Get("nr_throttled"), Get("throttled_usec"));
    }
}
