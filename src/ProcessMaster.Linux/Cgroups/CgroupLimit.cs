using System.Globalization;

namespace ProcessMaster.Linux.Cgroups;

/// <summary>
/// One value for one cgroup limit file, with the controller that provides the file. Build it with the factories;
/// the values are already validated domain numbers (parsing sizes and cpu strings happens when definitions load).
/// </summary>
/// <param name="File">Interface file name, e.g. <c>memory.max</c>.</param>
/// <param name="Controller">Controller that must be enabled in the parent for the file to exist.</param>
/// <param name="Value">The exact text written.</param>
/// <param name="Description">What the operator configured, e.g. <c>memory limit 512M</c>.</param>
public sealed record CgroupLimit(string File, string Controller, string Value, string Description)
{
    /// <summary>Default cpu.max period in microseconds.</summary>
    public const long DefaultCpuPeriodUsec = 100_000;

    /// <summary><c>cpu.max</c>: quota per period in microseconds; null quota means unlimited (<c>max</c>).</summary>
    public static CgroupLimit CpuMax(long? quotaUsec, long periodUsec = DefaultCpuPeriodUsec)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodUsec, 1000);
        string quota = quotaUsec is { } q ? Positive(q, 1000).ToString(CultureInfo.InvariantCulture) : "max";
        return new("cpu.max", "cpu", $"{quota} {periodUsec.ToString(CultureInfo.InvariantCulture)}", $"cpu limit {quota}/{periodUsec}us");
    }

    /// <summary><c>memory.max</c> in bytes; null means unlimited.</summary>
    public static CgroupLimit MemoryMax(long? bytes) => Bytes("memory.max", "memory", bytes, "memory limit");

    /// <summary><c>memory.swap.max</c> in bytes; null means unlimited, 0 means no swap.</summary>
    public static CgroupLimit MemorySwapMax(long? bytes) => Bytes("memory.swap.max", "memory", bytes, "swap limit");

    /// <summary><c>pids.max</c>; null means unlimited.</summary>
    public static CgroupLimit PidsMax(long? count) =>
        new("pids.max", "pids", count is { } c ? Positive(c, 1).ToString(CultureInfo.InvariantCulture) : "max", $"pids limit {(count?.ToString(CultureInfo.InvariantCulture) ?? "max")}");

    /// <summary><c>io.weight</c>: <c>default N</c> with N in 1..10000.</summary>
    public static CgroupLimit IoWeight(int weight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 10000);
        return new("io.weight", "io", "default " + weight.ToString(CultureInfo.InvariantCulture), $"io weight {weight}");
    }

    /// <summary><c>io.max</c> for one device: <c>MAJ:MIN rbps=.. wbps=.. riops=.. wiops=..</c>, only the caps that are set.</summary>
    public static CgroupLimit IoMax(int major, int minor, long? readBps = null, long? writeBps = null, long? readIops = null, long? writeIops = null)
    {
        var parts = new List<string> { $"{major}:{minor}" };
        if (readBps is { } rb) { parts.Add("rbps=" + rb.ToString(CultureInfo.InvariantCulture)); }
        if (writeBps is { } wb) { parts.Add("wbps=" + wb.ToString(CultureInfo.InvariantCulture)); }
        if (readIops is { } ri) { parts.Add("riops=" + ri.ToString(CultureInfo.InvariantCulture)); }
        if (writeIops is { } wi) { parts.Add("wiops=" + wi.ToString(CultureInfo.InvariantCulture)); }
        if (parts.Count == 1)
        {
            throw new ArgumentException("io.max needs at least one of rbps, wbps, riops, wiops");
        }

        string line = string.Join(' ', parts);
        return new("io.max", "io", line, $"io limit {line}");
    }

    private static CgroupLimit Bytes(string file, string controller, long? bytes, string what)
    {
        string value = bytes is { } b ? Positive(b, 0).ToString(CultureInfo.InvariantCulture) : "max";
        return new(file, controller, value, $"{what} {value}");
    }

    private static long Positive(long value, long min)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min);
        return value;
    }
}
