using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl admin-kill</c>.</summary>
internal static class AdminKillCommand
{
    public static Command Build(CliContext ctx)
    {
        var command = new Command("admin-kill", CommandText.Describe(
            "Kill every process in the admin-actions cgroup (cgroup.kill).", "pmctl admin-kill"));
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            AdminKillResult result = await client.CallAsync(RpcMethodNames.AdminKill, new EmptyParams(),
                ProtocolJsonContext.Default.EmptyParams, ProtocolJsonContext.Default.AdminKillResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            return 0;
        }, ct));
        return command;
    }
}
