using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl server-version</c>: the daemon's build stamp.</summary>
internal static class ServerVersionCommand
{
    public static Command Build(CliContext ctx)
    {
        var command = new Command("server-version", CommandText.Describe(
            "Print the running daemon's build stamp (it equals `pmctl version` whenever pmctl can talk to it).", "pmctl server-version"));
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            ServerVersionResult result = await client.CallAsync(RpcMethodNames.ServerVersion, new EmptyParams(),
                ProtocolJsonContext.Default.EmptyParams, ProtocolJsonContext.Default.ServerVersionResult, ct).ConfigureAwait(false);
            ctx.Console.Out.WriteLine(TerminalText.Escape(result.Banner));
            return 0;
        }, ct));
        return command;
    }
}
