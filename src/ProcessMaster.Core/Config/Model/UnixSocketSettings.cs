using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary><c>unix_socket.*</c> of the master config.</summary>
/// <param name="Path">Socket path, resolved (default <c>/run/processmaster/processmaster.sock</c>).</param>
/// <param name="Owner">User name to chown to; null (the default) = leave it as created: owned by the daemon's user (root
/// for a root daemon, which binds before any <c>global.user</c> drop), so an unprivileged daemon needs no setting.</param>
/// <param name="Group">Group name to chgrp to; null (the default) = the daemon's group.</param>
/// <param name="Mode">Socket mode (default 0600).</param>
public sealed record UnixSocketSettings(string Path, string? Owner, string? Group, OctalMode Mode)
{
    /// <summary>The default socket path.</summary>
    public const string DefaultPath = "/run/processmaster/processmaster.sock";

    /// <summary>The built-in defaults.</summary>
    public static UnixSocketSettings Default { get; } = new(DefaultPath, null, null, new OctalMode(0b110_000_000)); // 0600
}
