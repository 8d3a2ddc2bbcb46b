using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary><c>cgroup.*</c> of the master config.</summary>
/// <param name="Root">Absolute cgroup2 mount or node to nest under; null = find the cgroup2 mount (SPEC §3.10).</param>
/// <param name="Name">Master cgroup below the root: relative, '/'-separated, no empty or <c>..</c>/<c>.</c> segments (default <c>processmaster</c>).</param>
/// <param name="MemoryMax">Master <c>memory.max</c> (default MAX).</param>
/// <param name="MemorySwapMax">Master <c>memory.swap.max</c> (default MAX).</param>
/// <param name="CpuMax">Master <c>cpu.max</c> (default MAX).</param>
/// <param name="SubtreeControlAllow">true: enable every available controller for children; false: only cpu memory io pids misc (default true).</param>
public sealed record CgroupSettings(
    string? Root,
    string Name,
    MemoryLimit MemoryMax,
    MemoryLimit MemorySwapMax,
    CpuQuota CpuMax,
    bool SubtreeControlAllow)
{
    /// <summary>The built-in defaults.</summary>
    public static CgroupSettings Default { get; } = new(null, "processmaster", MemoryLimit.Max, MemoryLimit.Max, CpuQuota.Max, true);
}
