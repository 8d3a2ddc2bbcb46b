namespace ProcessMaster.Linux.Cgroups;

/// <summary>Which pressure (PSI) file to read.</summary>
public enum PressureResource
{
    /// <summary><c>cpu.pressure</c>.</summary>
    Cpu,

    /// <summary><c>memory.pressure</c>.</summary>
    Memory,

    /// <summary><c>io.pressure</c>.</summary>
    Io,
}
