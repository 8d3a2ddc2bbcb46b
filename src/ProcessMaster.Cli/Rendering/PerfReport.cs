using System.Globalization;
using System.Text;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Rendering;

/// <summary><c>pmctl perf-metrics</c> text, after the original's report: memory, swap, cpu, pids, io, then sampled CPU use.</summary>
internal static class PerfReport
{
    public const string NotSampled = "cpu.util: (pass --interval-ms N to compute; default is 1000ms, or use --once to disable)";

    public static string Render(PerfMetricsResult m, PerfMetricsResult? earlier)
    {
        var t = new StringBuilder();
        t.Append("app: ").Append(m.App).Append('\n');
        t.Append("cgroup: ").Append(m.CgroupDir).Append('\n').Append('\n');
        t.Append("memory: current=").Append(Bytes(m.MemoryCurrent)).Append(" peak=").Append(Bytes(m.MemoryPeak))
            .Append(" max=").Append(Limit(m.MemoryMax)).Append(" util=").Append(Util(m.MemoryCurrent, m.MemoryMax))
            .Append(" psi.avg10=").Append(Psi(m.MemoryPressure)).Append('\n');
        t.Append("swap:   current=").Append(Bytes(m.SwapCurrent)).Append(" max=").Append(Limit(m.SwapMax))
            .Append(" util=").Append(Util(m.SwapCurrent, m.SwapMax)).Append('\n');
        t.Append("cpu:    cpu.max=").Append(CpuMax(m.CpuMax)).Append("  psi.avg10=").Append(Psi(m.CpuPressure)).Append('\n');
        if (m.CpuStat is { Count: > 0 } stat)
        {
            t.Append("cpu.stat:");
            foreach (string key in new[] { "usage_usec", "user_usec", "system_usec", "throttled_usec", "nr_throttled", "nr_periods" })
            {
                if (stat.TryGetValue(key, out long value)) t.Append(' ').Append(key).Append('=').Append(N(value));
            }
            t.Append('\n');
        }
        t.Append("oom:    oom_kills=").Append(m.OomKills is long kills ? N(kills) : "-").Append('\n');
        t.Append("pids:   current=").Append(m.PidsCurrent is long p ? N(p) : "-").Append('\n').Append('\n');
        t.Append("io:     io.max=").Append(string.IsNullOrWhiteSpace(m.IoMax) ? "-" : m.IoMax.Trim().ReplaceLineEndings("; "))
            .Append("  psi.avg10=").Append(Psi(m.IoPressure)).Append('\n');
        foreach (string line in (m.IoStat ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(12))
        {
            t.Append("  io.stat ").Append(line).Append('\n');
        }
        t.Append(earlier is null ? NotSampled : Sampled(earlier, m)).Append('\n');
        return t.ToString();
    }

    private static string Sampled(PerfMetricsResult a, PerfMetricsResult b)
    {
        long elapsedMs = Math.Max(1, b.SampledAtMs - a.SampledAtMs);
        long usage = Delta(a, b, "usage_usec");
        long throttled = Delta(a, b, "throttled_usec");
        long periods = Delta(a, b, "nr_periods");
        long throttledPeriods = Delta(a, b, "nr_throttled");
        double percent = usage / 10.0 / elapsedMs;
        return string.Create(CultureInfo.InvariantCulture,
            $"cpu.util (sampled over ~{elapsedMs}ms):\n  usage={percent:0.0}% of one CPU ({usage}us)\n  throttled={throttled}us\n  periods={periods} throttled_periods={throttledPeriods}");
    }

    private static long Delta(PerfMetricsResult a, PerfMetricsResult b, string key) =>
        (b.CpuStat?.GetValueOrDefault(key) ?? 0) - (a.CpuStat?.GetValueOrDefault(key) ?? 0);

    /// <summary>B/KiB/MiB/GiB/TiB: whole bytes, 2 decimals under 10, else 1.</summary>
    public static string Bytes(long? bytes)
    {
        if (bytes is not long b) return "-";
        if (b < 1024) return string.Create(CultureInfo.InvariantCulture, $"{b}B");
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        double value = b;
        int unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + units[unit];
    }

    private static string Limit(string? raw) =>
        raw is null ? "-" : raw.Trim() == "max" ? "unlimited" : long.TryParse(raw.Trim(), CultureInfo.InvariantCulture, out long b) ? Bytes(b) : raw.Trim();

    private static string Util(long? current, string? max) =>
        current is long c && max is not null && long.TryParse(max.Trim(), CultureInfo.InvariantCulture, out long m) && m > 0
            ? (100.0 * c / m).ToString("0.0", CultureInfo.InvariantCulture) + "%"
            : "-";

    private static string CpuMax(string? raw)
    {
        if (raw is null) return "-";
        string[] parts = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out long period) || period <= 0) return raw.Trim();
        string periodText = string.Create(CultureInfo.InvariantCulture, $"{period / 1000.0:0.###}ms");
        if (parts[0] == "max") return $"unlimited (period={periodText})";
        if (!long.TryParse(parts[0], CultureInfo.InvariantCulture, out long quota)) return raw.Trim();
        return string.Create(CultureInfo.InvariantCulture, $"{quota / 1000.0:0.###}ms/{periodText} (~{quota * 1000 / period}m)");
    }

    private static string Psi(PressureInfo? info) =>
        info?.Some is PressureValues some ? some.Avg10.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
