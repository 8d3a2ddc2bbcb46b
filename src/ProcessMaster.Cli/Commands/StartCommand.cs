using System.CommandLine;
using ProcessMaster.Protocol;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl start NAME|all [--force]</c>.</summary>
internal static class StartCommand
{
    public static Command Build(CliContext ctx) => ServiceActionCommand.Build(ctx, "start", RpcMethodNames.Start,
        "Start a service (a job runs once). `all` starts every enabled service and runs every enabled job once.",
        "Start even when disabled (with all: include disabled services).");
}
