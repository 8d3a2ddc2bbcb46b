using System.Globalization;

namespace ProcessMaster.Linux.Cgroups;

public sealed partial class CgroupNode
{
    /// <summary>Reads <c>cpu.stat</c> (present on every cgroup v2 node).</summary>
    public CpuStat ReadCpuStat() => CpuStat.Parse(ReadFile("cpu.stat"));

    /// <summary>Reads <c>memory.current</c> in bytes, or null when the memory controller is off.</summary>
    public long? ReadMemoryCurrent() => ReadOptionalNumber("memory.current");

    /// <summary>Reads <c>memory.peak</c> in bytes, or null when absent (memory controller off, or kernel before 5.19).</summary>
    public long? ReadMemoryPeak() => ReadOptionalNumber("memory.peak");

    /// <summary>The <c>oom_kill</c> count of <c>memory.events</c> (processes the OOM killer ended), or null when the memory controller is off.</summary>
    public long? ReadOomKills()
    {
        string? text = ReadOptionalFile("memory.events");
        if (text is null)
        {
            return null;
        }

        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (kv.Length == 2 && kv[0] == "oom_kill" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kills))
            {
                return kills;
            }
        }

        return 0;
    }

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

        string? text;
        try
        {
            text = ReadOptionalFile(file);
        }
        catch (LinuxException e) when (e.Errno == Errno.EOPNOTSUPP)
        {
            return null; // PSI compiled in but disabled (psi=0)
        }

        return text is null ? null : PressureStat.Parse(text);
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
