namespace ProcessMaster.Linux.Cgroups;

/// <summary>
/// What the kernel says about a cgroup's contention, for <c>status</c>: OOM kills (<c>memory.events</c>), cpu throttling
/// (<c>cpu.stat</c>) and the <c>some avg10</c> of each pressure file. Each value is null when the kernel does not expose
/// it there (controller off, no PSI), never zero.
/// </summary>
/// <param name="OomKills"><c>oom_kill</c> of <c>memory.events</c>.</param>
/// <param name="NrThrottled"><c>nr_throttled</c> of <c>cpu.stat</c> (cpu controller only).</param>
/// <param name="ThrottledUsec"><c>throttled_usec</c> of <c>cpu.stat</c> (cpu controller only).</param>
/// <param name="CpuSomeAvg10"><c>some avg10</c> of <c>cpu.pressure</c>, percent.</param>
/// <param name="MemorySomeAvg10"><c>some avg10</c> of <c>memory.pressure</c>, percent.</param>
/// <param name="IoSomeAvg10"><c>some avg10</c> of <c>io.pressure</c>, percent.</param>
public sealed record CgroupUsage(long? OomKills, ulong? NrThrottled, ulong? ThrottledUsec,
    double? CpuSomeAvg10, double? MemorySomeAvg10, double? IoSomeAvg10)
{
    /// <summary>Nothing exposed (no cgroup yet).</summary>
    public static readonly CgroupUsage None = new(null, null, null, null, null, null);

    /// <summary>Builds the usage from the files' texts (null = the file does not exist).</summary>
    public static CgroupUsage Parse(string? memoryEvents, string? cpuStat, string? cpuPressure, string? memoryPressure, string? ioPressure)
    {
        CpuStat? cpu = cpuStat is null ? null : CpuStat.Parse(cpuStat);
        return new CgroupUsage(
            memoryEvents is null ? null : MemoryEvents.ParseOomKills(memoryEvents),
            cpu?.NrThrottled,
            cpu?.ThrottledUsec,
            SomeAvg10(cpuPressure),
            SomeAvg10(memoryPressure),
            SomeAvg10(ioPressure));
    }

    private static double? SomeAvg10(string? text) => text is null ? null : PressureStat.Parse(text).Some.Avg10;
}
