using System.CommandLine;

namespace ProcessMaster.Cli;

/// <summary>Options accepted before or after any subcommand (Recursive).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Sock { get; } = new("--sock", "-s")
    {
        Description = "The daemon's unix socket (else $PMCTL_SOCK, else unix_socket.path of -c CONFIG, else " + Rpc.SocketLocator.DefaultPath + ").",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<int?> DaemonUid { get; } = new("--daemon-uid")
    {
        Description = "Also trust a socket served by this uid (a daemon running as a dedicated user); else $" + Rpc.PeerTrust.EnvironmentVariable +
                      ". Root and your own uid are always trusted; any other server is refused.",
        HelpName = "UID",
        Recursive = true,
    };

    public Option<double?> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for each reply (else $" + CliContext.TimeoutVariable + "; default 30, or 300 for start/stop/restart/update/enable/disable/admin-run/shutdown).",
        HelpName = "SECONDS",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = "The daemon's master config; pmctl reads only unix_socket.path from it.",
        HelpName = "CONFIG",
        Recursive = true,
    };
}
