using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary>
/// <c>resources.*</c>: the limits written to the service's cgroup at each start. When the section is
/// omitted everything is MAX; when it is present, an omitted <c>max_swap</c> means 0 (swap off), as in
/// the original; omitted cpu/memory stay MAX.
/// </summary>
/// <param name="Cpu"><c>cpu.max</c>.</param>
/// <param name="Memory"><c>memory.max</c>.</param>
/// <param name="Swap"><c>memory.swap.max</c>.</param>
/// <param name="IoWeight"><c>io.weight</c> 1..10000; null = not written.</param>
/// <param name="IoBandwidth"><c>io.max</c> lines.</param>
/// <param name="MaxPids"><c>pids.max</c>: most processes and threads the service may have at once; null = MAX.</param>
public sealed record ResourceLimits(CpuQuota Cpu, MemoryLimit Memory, MemoryLimit Swap, int? IoWeight, ValueList<IoBandwidthRule> IoBandwidth, long? MaxPids = null)
{
    /// <summary>No limits (section omitted).</summary>
    public static ResourceLimits Unlimited { get; } = new(CpuQuota.Max, MemoryLimit.Max, MemoryLimit.Max, null, ValueList.Empty<IoBandwidthRule>());
}
