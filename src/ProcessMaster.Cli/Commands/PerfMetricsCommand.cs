using System.CommandLine;
using System.Text.Json;
using ProcessMaster.Cli.Rendering;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl perf-metrics NAME [--interval-ms N] [--once] [--format text|json]</c>.</summary>
internal static class PerfMetricsCommand
{
    public static Command Build(CliContext ctx)
    {
        var name = new Argument<string>("NAME") { Description = "The service." };
        var interval = new Option<long>("--interval-ms") { Description = "Sample twice this far apart to compute CPU use (default 1000).", DefaultValueFactory = _ => 1000, HelpName = "N" };
        var once = new Option<bool>("--once") { Description = "One snapshot, no CPU sampling." };
        Option<string> format = CommandText.Format();
        var command = new Command("perf-metrics", CommandText.Describe(
            "Show a service's cgroup resource use: memory.current/peak/max, swap, cpu.max, cpu.stat, pids, io, pressure (PSI) where present.",
            "pmctl perf-metrics web", "pmctl perf-metrics web --once", "pmctl perf-metrics web --interval-ms 5000", "pmctl perf-metrics web --once --format json"))
        {
            name,
            interval,
            once,
            format,
        };
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            JsonElement request = CommandText.Params(new PerfMetricsParams { Name = parsed.GetValue(name)! }, ProtocolJsonContext.Default.PerfMetricsParams);
            JsonElement first = await client.CallAsync(RpcMethodNames.PerfMetrics, request, ct).ConfigureAwait(false);
            bool json = parsed.GetValue(format) == "json";
            if (parsed.GetValue(once))
            {
                ctx.Console.Out.Write(json ? JsonOutput.Format(first) + "\n" : TerminalText.EscapeLines(PerfReport.Render(Read(first), null)));
                return 0;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, parsed.GetValue(interval))), ct).ConfigureAwait(false);
            JsonElement second = await client.CallAsync(RpcMethodNames.PerfMetrics, request, ct).ConfigureAwait(false);
            ctx.Console.Out.Write(json ? JsonOutput.Format(second) + "\n" : TerminalText.EscapeLines(PerfReport.Render(Read(second), Read(first))));
            return 0;
        }, ct));
        return command;
    }

    private static PerfMetricsResult Read(JsonElement e) => CommandText.Read(e, ProtocolJsonContext.Default.PerfMetricsResult);
}
