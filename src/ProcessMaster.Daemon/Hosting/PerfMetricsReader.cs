using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>One snapshot of a service's cgroup statistics (files that do not exist — a controller that is off — are null).</summary>
internal static class PerfMetricsReader
{
    public static PerfMetricsResult Read(string service, string cgroupPath)
    {
        using CgroupNode node = CgroupNode.Open(cgroupPath);
        CpuStat cpu = node.ReadCpuStat();
        return new PerfMetricsResult
        {
            App = service,
            CgroupDir = cgroupPath,
            SampledAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            CpuStat = CpuStatMap(cpu),
            CpuMax = node.ReadOptionalText("cpu.max")?.Trim(),
            MemoryCurrent = node.ReadMemoryCurrent(),
            MemoryMax = node.ReadOptionalText("memory.max")?.Trim(),
            SwapCurrent = node.ReadSwapCurrent(),
            SwapMax = node.ReadOptionalText("memory.swap.max")?.Trim(),
            IoMax = node.ReadOptionalText("io.max"),
            IoStat = node.ReadOptionalText("io.stat"),
            MemoryPeak = node.ReadMemoryPeak(),
            OomKills = node.ReadOomKills(),
            PidsCurrent = node.ReadPidsCurrent(),
            CpuPressure = Pressure(node.ReadPressure(PressureResource.Cpu)),
            MemoryPressure = Pressure(node.ReadPressure(PressureResource.Memory)),
            IoPressure = Pressure(node.ReadPressure(PressureResource.Io)),
        };
    }

    /// <summary><c>cpu.stat</c> by key; the throttling keys only where the cpu controller reports them.</summary>
    private static Dictionary<string, long> CpuStatMap(CpuStat cpu)
    {
        var map = new Dictionary<string, long>
        {
            ["usage_usec"] = (long)cpu.UsageUsec,
            ["user_usec"] = (long)cpu.UserUsec,
            ["system_usec"] = (long)cpu.SystemUsec,
        };
        if (cpu.NrPeriods is { } periods) map["nr_periods"] = (long)periods;
        if (cpu.NrThrottled is { } throttled) map["nr_throttled"] = (long)throttled;
        if (cpu.ThrottledUsec is { } usec) map["throttled_usec"] = (long)usec;
        return map;
    }

    private static PressureInfo? Pressure(PressureStat? stat) => stat is null ? null : new PressureInfo
    {
        Some = Values(stat.Some),
        Full = stat.Full is { } full ? Values(full) : null,
    };

    private static PressureValues Values(PressureLine line) => new()
    {
        Avg10 = line.Avg10,
        Avg60 = line.Avg60,
        Avg300 = line.Avg300,
        Total = (long)line.TotalUsec,
    };
}
