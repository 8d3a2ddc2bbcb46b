using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl update</c>: reload service definitions.</summary>
internal static class UpdateCommand
{
    public static Command Build(CliContext ctx)
    {
        var command = new Command("update", CommandText.Describe(
            "Reload the service definitions (not the master config): start new and enabled services, stop removed or disabled ones, restart changed ones. A definition that fails to load keeps the last good set.",
            "pmctl update"));
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            UpdateResult result = await client.CallAsync(RpcMethodNames.Update, new EmptyParams(),
                ProtocolJsonContext.Default.EmptyParams, ProtocolJsonContext.Default.UpdateResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            if (result.Restarted.Count > 0) ctx.Console.Out.WriteLine($"restarted: {string.Join(',', result.Restarted)}");
            return 0;
        }, ct));
        return command;
    }
}
