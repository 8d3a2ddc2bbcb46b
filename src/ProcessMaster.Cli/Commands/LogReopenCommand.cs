using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl log-reopen</c>: the daemon closes its log (<c>global.log_file</c>) and opens it again, as on SIGUSR1.</summary>
internal static class LogReopenCommand
{
    public static Command Build(CliContext ctx)
    {
        var command = new Command("log-reopen", CommandText.Describe(
            "Make the daemon reopen its own log (global.log_file) at its path, e.g. in logrotate's postrotate after renaming it (same as kill -USR1).",
            "pmctl log-reopen"));
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            LogReopenResult result = await client.CallAsync(RpcMethodNames.LogReopen, new EmptyParams(),
                ProtocolJsonContext.Default.EmptyParams, ProtocolJsonContext.Default.LogReopenResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            return 0;
        }, ct));
        return command;
    }
}
