using System.Globalization;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Linux.Cgroups;

/// <summary>
/// One value for one cgroup limit file, with the controller that provides the file. Built only by the factories,
/// from the validated config values (<see cref="MemoryLimit"/>, <see cref="CpuQuota"/>, <see cref="IoBandwidthRule"/>,
/// counts): nothing parses or re-derives the kernel text, and <see cref="IsUnlimited"/> is known, not guessed.
/// </summary>
public sealed record CgroupLimit
{
    private CgroupLimit(string file, string controller, string value, string description, bool isUnlimited)
    {
        File = file;
        Controller = controller;
        Value = value;
        Description = description;
        IsUnlimited = isUnlimited;
    }

    /// <summary>Interface file name, e.g. <c>memory.max</c>.</summary>
    public string File { get; }

    /// <summary>Controller that must be enabled in the parent for the file to exist.</summary>
    public string Controller { get; }

    /// <summary>The exact text written.</summary>
    public string Value { get; }

    /// <summary>What the operator configured, in the operator's units, e.g. <c>memory limit 256 MiB</c>.</summary>
    public string Description { get; }

    /// <summary>True when the value asks for no limit: a missing controller then takes nothing away.</summary>
    public bool IsUnlimited { get; }

    /// <summary>The limits of one service, in the order they are written.</summary>
    public static IEnumerable<CgroupLimit> For(ResourceLimits resources)
    {
        yield return CpuMax(resources.Cpu);
        yield return MemoryMax(resources.Memory);
        yield return MemorySwapMax(resources.Swap);
        if (resources.IoWeight is { } weight) yield return IoWeight(weight);
        foreach (IoBandwidthRule rule in resources.IoBandwidth) yield return IoMax(rule);
        yield return PidsMax(resources.MaxPids);
    }

    /// <summary>The master cgroup's limits (<c>cgroup.cpu_max</c>, <c>memory_max</c>, <c>memory_swap_max</c>).</summary>
    public static IEnumerable<CgroupLimit> For(CgroupSettings settings)
    {
        yield return CpuMax(settings.CpuMax);
        yield return MemoryMax(settings.MemoryMax);
        yield return MemorySwapMax(settings.MemorySwapMax);
    }

    /// <summary><c>cpu.max</c>: <c>QUOTA PERIOD</c> or <c>max PERIOD</c>.</summary>
    public static CgroupLimit CpuMax(CpuQuota cpu) =>
        new("cpu.max", "cpu", cpu.CgroupValue, "cpu limit " + (cpu.IsMax ? "max" : cpu.ToString()), cpu.IsMax);

    /// <summary><c>memory.max</c>: decimal bytes or <c>max</c>.</summary>
    public static CgroupLimit MemoryMax(MemoryLimit limit) => Memory("memory.max", "memory limit", limit);

    /// <summary><c>memory.swap.max</c>: decimal bytes (0 = no swap) or <c>max</c>.</summary>
    public static CgroupLimit MemorySwapMax(MemoryLimit limit) => Memory("memory.swap.max", "swap limit", limit);

    /// <summary><c>pids.max</c>: the most processes and threads at once; null means unlimited.</summary>
    public static CgroupLimit PidsMax(long? count)
    {
        string value = count?.ToString(CultureInfo.InvariantCulture) ?? "max";
        return new("pids.max", "pids", value, "pids limit " + value, count is null);
    }

    /// <summary><c>io.weight</c>: <c>default N</c> with N in 1..10000.</summary>
    public static CgroupLimit IoWeight(int weight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 10000);
        string text = weight.ToString(CultureInfo.InvariantCulture);
        return new("io.weight", "io", "default " + text, "io weight " + text, false);
    }

    /// <summary><c>io.max</c> for one device: <c>MAJ:MIN rbps=.. wbps=.. riops=.. wiops=..</c>, only the caps the rule sets.</summary>
    public static CgroupLimit IoMax(IoBandwidthRule rule)
    {
        var caps = new List<string>();
        if (rule.ReadBytesPerSecond is { } rb) caps.Add($"read {rb.Display}/s");
        if (rule.WriteBytesPerSecond is { } wb) caps.Add($"write {wb.Display}/s");
        if (rule.ReadIops is { } ri) caps.Add(string.Create(CultureInfo.InvariantCulture, $"{ri} read iops"));
        if (rule.WriteIops is { } wi) caps.Add(string.Create(CultureInfo.InvariantCulture, $"{wi} write iops"));
        if (caps.Count == 0) throw new ArgumentException("io.max needs at least one of rbps, wbps, riops, wiops", nameof(rule));
        return new("io.max", "io", rule.IoMaxLine, string.Create(CultureInfo.InvariantCulture, $"io limit on {rule.Major}:{rule.Minor} ({string.Join(", ", caps)})"), false);
    }

    private static CgroupLimit Memory(string file, string what, MemoryLimit limit) =>
        new(file, "memory", limit.CgroupValue, what + " " + (limit.IsMax ? "max" : limit.Size.Display), limit.IsMax);
}
