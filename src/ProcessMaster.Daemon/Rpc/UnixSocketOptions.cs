namespace ProcessMaster.Daemon.Rpc;

/// <summary>The <c>unix_socket</c> section as the listener needs it (validated by the config loader).</summary>
/// <param name="Path">Absolute socket path (<c>unix_socket.path</c>).</param>
/// <param name="Mode">File mode applied to the socket after bind, always (<c>unix_socket.mode</c>, default 0600).</param>
/// <param name="Owner">User name to chown the socket to, or null to leave it (needs root).</param>
/// <param name="Group">Group name to chgrp the socket to, or null to leave it (needs root).</param>
internal sealed record UnixSocketOptions(
    string Path,
    UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    string? Owner = null,
    string? Group = null)
{
    /// <summary>The default socket path when the daemon runs as root (SPEC §3.12).</summary>
    public const string DefaultPath = "/run/processmaster/processmaster.sock";
}
