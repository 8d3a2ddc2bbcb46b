using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary><c>unix_socket.*</c> of the master config.</summary>
/// <param name="Path">Socket path, resolved (default <c>/run/processmaster/processmaster.sock</c>).</param>
/// <param name="Owner">User name to chown to; null = leave unchanged (default <c>root</c>).</param>
/// <param name="Group">Group name to chgrp to; null = leave unchanged (default <c>root</c>).</param>
/// <param name="Mode">Socket mode (default 0600).</param>
public sealed record UnixSocketSettings(string Path, string? Owner, string? Group, OctalMode Mode)
{
    /// <summary>The default socket path.</summary>
    public const string DefaultPath = "/run/processmaster/processmaster.sock";

    /// <summary>The built-in defaults.</summary>
    public static UnixSocketSettings Default { get; } = new(DefaultPath, "root", "root", new OctalMode(0x180));
}
