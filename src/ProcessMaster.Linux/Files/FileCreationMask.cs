using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Files;

/// <summary>The process's file mode creation mask (umask(2)).</summary>
public static class FileCreationMask
{
    /// <summary>The daemon's own mask: nothing it creates is readable by group or others unless it says so (fchmod).</summary>
    public const uint Daemon = 0x3F; // 077

    /// <summary>The mask a service gets unless <c>process.umask</c> says otherwise.</summary>
    public const uint ServiceDefault = 0x12; // 022

    /// <summary>Sets the mask; returns the previous one.</summary>
    public static uint Set(uint mask) => Libc.Umask(mask & 0x1FF);
}
