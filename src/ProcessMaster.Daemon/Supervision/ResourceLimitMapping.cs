using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Linux.Cgroups;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>From the validated <c>resources:</c> (or master <c>cgroup:</c>) values to the cgroup files that hold them.</summary>
internal static class ResourceLimitMapping
{
    /// <summary>The limits of one app, in the order they are written.</summary>
    public static IEnumerable<CgroupLimit> ToCgroupLimits(ResourceLimits resources)
    {
        yield return Cpu(resources.Cpu);
        yield return CgroupLimit.MemoryMax(Bytes(resources.Memory));
        yield return CgroupLimit.MemorySwapMax(Bytes(resources.Swap));
        if (resources.IoWeight is { } weight) yield return CgroupLimit.IoWeight(weight);
        foreach (IoBandwidthRule rule in resources.IoBandwidth)
            yield return CgroupLimit.IoMax((int)rule.Major, (int)rule.Minor,
                (long?)rule.ReadBytesPerSecond?.Bytes, (long?)rule.WriteBytesPerSecond?.Bytes, (long?)rule.ReadIops, (long?)rule.WriteIops);
        yield return CgroupLimit.PidsMax(resources.MaxPids);
    }

    /// <summary>The master cgroup's limits.</summary>
    public static IEnumerable<CgroupLimit> ToCgroupLimits(CgroupSettings settings)
    {
        yield return Cpu(settings.CpuMax);
        yield return CgroupLimit.MemoryMax(Bytes(settings.MemoryMax));
        yield return CgroupLimit.MemorySwapMax(Bytes(settings.MemorySwapMax));
    }

    /// <summary>True when the value asks for no limit: a missing controller then takes nothing away.</summary>
    public static bool IsUnlimited(CgroupLimit limit) => limit.Value.StartsWith("max", StringComparison.Ordinal);

    private static CgroupLimit Cpu(CpuQuota cpu) => CgroupLimit.CpuMax(cpu.QuotaMicros, cpu.PeriodMicros);

    private static long? Bytes(MemoryLimit limit) => limit.IsMax ? null : (long)limit.Size.Bytes;
}
