using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl unflag NAME f1,f2</c>.</summary>
internal static class UnflagCommand
{
    public static Command Build(CliContext ctx)
    {
        var name = new Argument<string>("NAME") { Description = "The service, or all (every service)." };
        var flags = new Argument<string>("FLAGS") { Description = "Comma-separated user flags to remove." };
        var command = new Command("unflag", CommandText.Describe(
            "Remove user flags from a service (or from every service: all); absent ones are ignored. Prints each service's flags afterwards.",
            "pmctl unflag web maint", "pmctl unflag web canary,maint", "pmctl unflag all maint"))
        {
            name,
            flags,
        };
        command.SetAction((parsed, ct) =>
        {
            IReadOnlyList<string> list = FlagList.Parse(parsed.GetValue(flags)!);
            if (list.Count == 0) return Task.FromResult(ctx.Fail(FlagList.NoFlags));
            return ctx.RemoteAsync(parsed, async (client, ct) =>
            {
                var request = new UnflagParams { Name = parsed.GetValue(name)!, Flags = list };
                FlagResult result = await client.CallAsync(RpcMethodNames.Unflag, request,
                    ProtocolJsonContext.Default.UnflagParams, ProtocolJsonContext.Default.FlagResult, ct).ConfigureAwait(false);
                ctx.PrintMessage(result.Message);
                return 0;
            }, ct);
        });
        return command;
    }
}
