using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl admin-list</c>.</summary>
internal static class AdminListCommand
{
    public static Command Build(CliContext ctx)
    {
        var command = new Command("admin-list", CommandText.Describe(
            "List the admin actions of the master config (admin_actions) as LABEL (ID).", "pmctl admin-list"));
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            AdminListResult result = await client.CallAsync(RpcMethodNames.AdminList, new EmptyParams(),
                ProtocolJsonContext.Default.EmptyParams, ProtocolJsonContext.Default.AdminListResult, ct).ConfigureAwait(false);
            if (result.AdminActions.Count == 0) ctx.Console.Out.WriteLine("(no admin actions configured)");
            foreach (AdminActionInfo action in result.AdminActions) ctx.Console.Out.WriteLine(TerminalText.Escape($"{action.Label} ({action.Name})"));
            return 0;
        }, ct));
        return command;
    }
}
