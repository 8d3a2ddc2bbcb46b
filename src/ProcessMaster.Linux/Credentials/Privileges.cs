using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Credentials;

/// <summary>The daemon's own identity.</summary>
public static class Privileges
{
    /// <summary>The effective uid.</summary>
    public static uint EffectiveUid => Libc.GetEUid();

    /// <summary>True when the daemon runs as root (euid 0).</summary>
    public static bool IsRoot => Libc.GetEUid() == 0;
}
