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

    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = "The daemon's master config; pmctl reads only unix_socket.path from it.",
        HelpName = "CONFIG",
        Recursive = true,
    };
}
