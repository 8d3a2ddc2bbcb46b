using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl shutdown [--stop-services]</c>.</summary>
internal static class ShutdownCommand
{
    public static Command Build(CliContext ctx)
    {
        var stop = new Option<bool>("--stop-services") { Description = "Stop every service first (default: they keep running and the next daemon adopts them)." };
        var command = new Command("shutdown", CommandText.Describe(
            "Stop the daemon. Services keep running in their cgroups unless --stop-services.",
            "pmctl shutdown", "pmctl shutdown --stop-services"))
        {
            stop,
        };
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            ShutdownResult result = await client.CallAsync(RpcMethodNames.Shutdown, new ShutdownParams { StopServices = parsed.GetValue(stop) },
                ProtocolJsonContext.Default.ShutdownParams, ProtocolJsonContext.Default.ShutdownResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            return 0;
        }, ct));
        return command;
    }
}
