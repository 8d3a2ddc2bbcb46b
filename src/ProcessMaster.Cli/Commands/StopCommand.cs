using System.CommandLine;
using ProcessMaster.Protocol;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl stop NAME|all</c>.</summary>
internal static class StopCommand
{
    public static Command Build(CliContext ctx) => ServiceActionCommand.Build(ctx, "stop", RpcMethodNames.Stop,
        "Stop a service (stop signal or stop_command, then cgroup.kill after the grace period). `all` stops every service. " +
        "A second stop while one waits out the grace period does not wait: cgroup.kill now.",
        "Do not wait out the grace period: cgroup.kill now (also for a stop already under way).");
}
