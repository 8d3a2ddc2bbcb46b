using System.CommandLine;
using ProcessMaster.Protocol;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl restart NAME|all [--force]</c>.</summary>
internal static class RestartCommand
{
    public static Command Build(CliContext ctx) => ServiceActionCommand.Build(ctx, "restart", RpcMethodNames.Restart,
        "Stop and start a service again. `all` restarts every enabled service.",
        "Restart even when disabled (with all: include disabled services).");
}
