namespace ProcessMaster.Core.Flags;

/// <summary>When a system flag is shown (a display filter only: hidden flags stay stored).</summary>
public enum FlagScope
{
    /// <summary>Shown while the service is not running.</summary>
    Stopped,
    /// <summary>Shown while the service is running.</summary>
    Running,
    /// <summary>Always shown.</summary>
    Both,
}
