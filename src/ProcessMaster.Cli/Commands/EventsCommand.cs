using System.CommandLine;
using System.Text.Json;
using ProcessMaster.Cli.Rendering;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl events [-n N] [NAME] [--format text|json]</c>.</summary>
internal static class EventsCommand
{
    public static Command Build(CliContext ctx)
    {
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "Only this service's events." };
        var count = new Option<int>("-n") { Description = "How many of the most recent events (0..2000).", DefaultValueFactory = _ => 200, HelpName = "N" };
        Option<string> format = CommandText.Format();
        var command = new Command("events", CommandText.Describe(
            "Show the daemon's recent events (commands, state changes, flags, schedules), oldest first.",
            "pmctl events", "pmctl events -n 20 web", "pmctl events --format json"))
        {
            name,
            count,
            format,
        };
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            var request = new EventsParams { Name = parsed.GetValue(name), N = parsed.GetValue(count) };
            JsonElement result = await client.CallAsync(RpcMethodNames.Events,
                CommandText.Params(request, ProtocolJsonContext.Default.EventsParams), ct).ConfigureAwait(false);
            if (parsed.GetValue(format) == "json")
            {
                ctx.Console.Out.WriteLine(JsonOutput.Format(result));
                return 0;
            }
            ctx.Console.Out.Write(EventLines.Render(CommandText.Read(result, ProtocolJsonContext.Default.EventsResult).Events));
            return 0;
        }, ct));
        return command;
    }
}
