using System.Globalization;

namespace ProcessMaster.Linux.Cgroups;

public sealed partial class CgroupNode
{
    /// <summary>Reads <c>cpu.stat</c> (present on every cgroup v2 node).</summary>
    public CpuStat ReadCpuStat() => CpuStat.Parse(ReadFile("cpu.stat"));

    /// <summary>The <c>nr_descendants</c> line of <c>cgroup.stat</c>: live cgroups below this one.</summary>
    public int ReadDescendantCount() => ParseDescendantCount(ReadFile("cgroup.stat"));

    /// <summary>
    /// The number of child cgroups (live ones: rmdir removes a dying cgroup's directory at once), from the link count
    /// of this node's directory: kernfs keeps a directory's <c>st_nlink</c> at 2 + its subdirectories. One statx(2)
    /// on the held descriptor, where <see cref="ReadDescendantCount"/> costs an open, a read and a close.
    /// </summary>
    public unsafe int ReadChildCount()
    {
        Interop.Libc.StatxBuffer buf;
        if (Interop.Libc.Statx(_dir, "", Interop.Libc.AT_EMPTY_PATH, Interop.Libc.STATX_NLINK, &buf) != 0)
            throw LinuxException.FromLastError("statx", Path);
        return (int)buf.Nlink - 2;
    }

    /// <summary>Parses <c>nr_descendants N</c> out of <c>cgroup.stat</c> text.</summary>
    public static int ParseDescendantCount(string stat)
    {
        foreach (string line in stat.Split('\n'))
        {
            if (line.StartsWith("nr_descendants ", StringComparison.Ordinal))
                return int.Parse(line.AsSpan("nr_descendants ".Length), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        throw new FormatException($"cgroup.stat has no nr_descendants line: \"{stat}\"");
    }

    /// <summary>Reads <c>memory.current</c> in bytes, or null when the memory controller is off.</summary>
    public long? ReadMemoryCurrent() => ReadOptionalNumber("memory.current");

    /// <summary>Reads <c>memory.peak</c> in bytes, or null when absent (memory controller off, or kernel before 5.19).</summary>
    public long? ReadMemoryPeak() => ReadOptionalNumber("memory.peak");

    /// <summary>The <c>oom_kill</c> count of <c>memory.events</c> (processes the OOM killer ended), or null when the memory controller is off.</summary>
    public long? ReadOomKills() => ReadOptionalFile("memory.events") is { } text ? MemoryEvents.ParseOomKills(text) : null;

    /// <summary>OOM kills, cpu throttling and pressure of this cgroup, each null where the kernel does not expose it.</summary>
    public CgroupUsage ReadUsage() => CgroupUsage.Parse(
        ReadOptionalFile("memory.events"), ReadOptionalFile("cpu.stat"),
        ReadPressureText("cpu.pressure"), ReadPressureText("memory.pressure"), ReadPressureText("io.pressure"));

    /// <summary>Reads a raw interface file (<c>memory.max</c>, <c>io.max</c>, ...), or null when it does not exist.</summary>
    public string? ReadOptionalText(string file)
    {
        CgroupName.ThrowIfInvalid(file);
        return ReadOptionalFile(file);
    }

    /// <summary>Reads <c>memory.swap.current</c> in bytes, or null when absent (memory controller off, no swap accounting).</summary>
    public long? ReadSwapCurrent() => ReadOptionalNumber("memory.swap.current");

    /// <summary>Reads <c>pids.current</c>, or null when the pids controller is off.</summary>
    public long? ReadPidsCurrent() => ReadOptionalNumber("pids.current");

    /// <summary>Reads a pressure file, or null when the kernel has no PSI for it.</summary>
    public PressureStat? ReadPressure(PressureResource resource)
    {
        string file = resource switch
        {
            PressureResource.Cpu => "cpu.pressure",
            PressureResource.Memory => "memory.pressure",
            _ => "io.pressure",
        };

        return ReadPressureText(file) is { } text ? PressureStat.Parse(text) : null;
    }

    private string? ReadPressureText(string file)
    {
        try
        {
            return ReadOptionalFile(file);
        }
        catch (LinuxException e) when (e.Errno == Errno.EOPNOTSUPP)
        {
            return null; // PSI compiled in but disabled (psi=0)
        }
    }

    private long? ReadOptionalNumber(string file)
    {
        string? text = ReadOptionalFile(file);
        if (text is null)
        {
            return null;
        }

        string trimmed = text.Trim();
        return trimmed == "max" ? long.MaxValue : long.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
