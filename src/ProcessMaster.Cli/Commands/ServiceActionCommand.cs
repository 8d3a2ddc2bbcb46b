using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary>The shape <c>start</c>, <c>stop</c> and <c>restart</c> share: <c>VERB NAME|all [--force]</c>, prints the daemon's lines.</summary>
internal static class ServiceActionCommand
{
    public static Command Build(CliContext ctx, string verb, string method, string description, string forceDescription)
    {
        var name = new Argument<string>("NAME") { Description = "A service, or all." };
        var force = new Option<bool>("--force") { Description = forceDescription };
        var command = new Command(verb, CommandText.Describe(description, $"pmctl {verb} web", $"pmctl {verb} all", $"pmctl {verb} web --force"))
        {
            name,
            force,
        };
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            var request = new ServiceActionParams { Name = parsed.GetValue(name)!, Force = parsed.GetValue(force) };
            ServiceActionResult result = await client.CallAsync(method, request,
                ProtocolJsonContext.Default.ServiceActionParams, ProtocolJsonContext.Default.ServiceActionResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            return 0;
        }, ct));
        return command;
    }
}
