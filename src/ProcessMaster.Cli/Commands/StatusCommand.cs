using System.CommandLine;
using System.Text.Json;
using ProcessMaster.Cli.Rendering;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl status [NAME] [-r|--resources] [--format text|json]</c>; also what <c>pmctl</c> alone does.</summary>
internal static class StatusCommand
{
    public static Command Build(CliContext ctx)
    {
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "One service (default: all)." };
        Option<string> format = CommandText.Format();
        var resources = new Option<bool>("--resources", "-r")
        {
            Description = "Also read each service's OOM kills, cpu throttling and pressure now (a line under the table for each service under contention; the counters in json).",
        };
        var command = new Command("status", CommandText.Describe(
            "Show every service (or one) as a table: actual cgroup state, phase, crashes in 10 minutes, PIDs with uptime, flags, enabled, last run, source file.",
            "pmctl status", "pmctl status web", "pmctl status -r", "pmctl status --format json | jq '.statuses[] | select(.running) | .application'"))
        {
            name,
            resources,
            format,
        };
        command.SetAction((parsed, ct) => RunAsync(ctx, parsed, parsed.GetValue(name), parsed.GetValue(format) == "json", ct, parsed.GetValue(resources)));
        return command;
    }

    public static Task<int> RunAsync(CliContext ctx, ParseResult parsed, string? name, bool json, CancellationToken cancellationToken, bool resources = false) =>
        ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            ReadOnlyMemory<byte> result = await client.CallRawAsync(RpcMethodNames.Status, writer => WriteParams(writer, name, resources), ct).ConfigureAwait(false);
            if (json)
            {
                ctx.Console.Out.WriteLine(JsonOutput.Format(result.IsEmpty ? default : JsonElement.Parse(result.Span)));
                return 0;
            }
            StatusResult status = Read(result);
            ctx.Console.Out.Write(StatusTable.Render(status.Statuses, ctx.Console.Zone));
            foreach (string line in ContentionLines.Render(status.Statuses)) ctx.Console.Out.WriteLine(line);
            foreach (string notice in status.Notices) ctx.Console.Out.WriteLine($"! {notice}");
            return 0;
        }, cancellationToken);

    /// <summary>
    /// <see cref="StatusParams"/> as the protocol context writes them (<c>RequestLineTests</c>), without the
    /// serializer's metadata set-up at start.
    /// </summary>
    internal static void WriteParams(Utf8JsonWriter writer, string? name, bool resources)
    {
        writer.WriteStartObject();
        if (name is null) writer.WriteNull("name"u8);
        else writer.WriteString("name"u8, name);
        writer.WriteBoolean("resources"u8, resources);
        writer.WriteEndObject();
    }

    private static StatusResult Read(ReadOnlyMemory<byte> result)
    {
        if (result.IsEmpty) throw new CliException("the daemon sent an empty result");
        try
        {
            return StatusResultReader.Read(result.Span);
        }
        catch (JsonException e)
        {
            throw new CliException($"{RpcMethodNames.Status}: the daemon's result is not what this pmctl expects: {e.Message}", e);
        }
    }
}
