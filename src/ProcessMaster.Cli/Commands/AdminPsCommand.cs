using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl admin-ps</c>.</summary>
internal static class AdminPsCommand
{
    public static Command Build(CliContext ctx)
    {
        var command = new Command("admin-ps", CommandText.Describe(
            "List the PIDs still running in the admin-actions cgroup, or (none).", "pmctl admin-ps"));
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            AdminPsResult result = await client.CallAsync(RpcMethodNames.AdminPs, new EmptyParams(),
                ProtocolJsonContext.Default.EmptyParams, ProtocolJsonContext.Default.AdminPsResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            return 0;
        }, ct));
        return command;
    }
}
