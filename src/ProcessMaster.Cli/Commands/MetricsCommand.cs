using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl metrics</c>: the Prometheus text exposition, as the web console serves it at <c>/metrics</c>.</summary>
internal static class MetricsCommand
{
    public static Command Build(CliContext ctx)
    {
        var command = new Command("metrics", CommandText.Describe(
            "Print the daemon's metrics in the Prometheus text format (the same text as GET /metrics on the web console): " +
            "per service state, restarts, uptime, cpu, memory, OOM kills, log bytes; the daemon's RSS, threads, fds; RPC calls and latency.",
            "pmctl metrics", "pmctl metrics | grep '^processmaster_service_up'",
            "pmctl metrics > /var/lib/node_exporter/textfile/processmaster.prom"));
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            MetricsResult result = await client.CallAsync(RpcMethodNames.Metrics, new EmptyParams(),
                ProtocolJsonContext.Default.EmptyParams, ProtocolJsonContext.Default.MetricsResult, ct).ConfigureAwait(false);
            ctx.Console.Out.Write(TerminalText.EscapeLines(result.Text));
            return 0;
        }, ct));
        return command;
    }
}
