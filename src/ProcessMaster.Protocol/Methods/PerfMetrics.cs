using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>perf_metrics</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PerfMetricsParams
{
    /// <summary>The service.</summary>
    public required string Name { get; init; }
}

/// <summary>
/// Result of <c>perf_metrics</c>: one snapshot of the service's cgroup files. A file that does not exist (controller
/// not enabled) is null, never zero. Field names are the original's where it had them.
/// </summary>
public sealed record PerfMetricsResult
{
    /// <summary>The service.</summary>
    public required string App { get; init; }
    /// <summary>The app cgroup directory.</summary>
    public required string CgroupDir { get; init; }
    /// <summary>New: when the snapshot was taken, epoch ms (for rates between two snapshots).</summary>
    public long SampledAtMs { get; init; }
    /// <summary><c>cpu.stat</c> as name → value (<c>usage_usec</c>, <c>user_usec</c>, <c>system_usec</c>, <c>nr_periods</c>, <c>nr_throttled</c>, <c>throttled_usec</c>, ...).</summary>
    public IReadOnlyDictionary<string, long>? CpuStat { get; init; }
    /// <summary>Raw <c>cpu.max</c> (<c>max 100000</c>).</summary>
    public string? CpuMax { get; init; }
    /// <summary><c>memory.current</c> in bytes.</summary>
    public long? MemoryCurrent { get; init; }
    /// <summary>New: <c>memory.peak</c> in bytes.</summary>
    public long? MemoryPeak { get; init; }
    /// <summary>Raw <c>memory.max</c> (<c>max</c> or bytes).</summary>
    public string? MemoryMax { get; init; }
    /// <summary><c>memory.swap.current</c> in bytes.</summary>
    public long? SwapCurrent { get; init; }
    /// <summary>Raw <c>memory.swap.max</c>.</summary>
    public string? SwapMax { get; init; }
    /// <summary>New: the <c>oom_kill</c> count of <c>memory.events</c> (null when the memory controller is off).</summary>
    public long? OomKills { get; init; }
    /// <summary>New: <c>pids.current</c>.</summary>
    public long? PidsCurrent { get; init; }
    /// <summary><c>cpu.pressure</c>.</summary>
    public PressureInfo? CpuPressure { get; init; }
    /// <summary><c>memory.pressure</c>.</summary>
    public PressureInfo? MemoryPressure { get; init; }
    /// <summary><c>io.pressure</c>.</summary>
    public PressureInfo? IoPressure { get; init; }
    /// <summary>Raw <c>io.max</c>.</summary>
    public string? IoMax { get; init; }
    /// <summary>Raw <c>io.stat</c>.</summary>
    public string? IoStat { get; init; }
}

/// <summary>A PSI file (<c>cpu.pressure</c>, ...): its <c>some</c> and <c>full</c> lines.</summary>
public sealed record PressureInfo
{
    /// <summary>The <c>some</c> line.</summary>
    public PressureValues? Some { get; init; }
    /// <summary>The <c>full</c> line (absent for cpu on older kernels).</summary>
    public PressureValues? Full { get; init; }
}

/// <summary>One PSI line: averages in percent, total stall time in µs.</summary>
public sealed record PressureValues
{
    /// <summary>10-second average, percent.</summary>
    public double Avg10 { get; init; }
    /// <summary>60-second average, percent.</summary>
    public double Avg60 { get; init; }
    /// <summary>300-second average, percent.</summary>
    public double Avg300 { get; init; }
    /// <summary>Total stall time, µs.</summary>
    public long Total { get; init; }
}
