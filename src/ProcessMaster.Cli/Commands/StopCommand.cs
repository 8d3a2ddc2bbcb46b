using System.CommandLine;
using ProcessMaster.Protocol;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl stop NAME|all</c>.</summary>
internal static class StopCommand
{
    public static Command Build(CliContext ctx) => ServiceActionCommand.Build(ctx, "stop", RpcMethodNames.Stop,
        "Stop a service (stop signal or stop_command, then cgroup.kill after the grace period). `all` stops every service.",
        "Accepted for symmetry with start/restart; a stop never needs it.");
}
