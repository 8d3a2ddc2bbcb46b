using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl flag NAME f1,f2 [--ttl 1h]</c>.</summary>
internal static class FlagCommand
{
    public static Command Build(CliContext ctx)
    {
        var name = new Argument<string>("NAME") { Description = "The service, or all (every service)." };
        var flags = new Argument<string>("FLAGS") { Description = "Comma-separated user flags: at most 100, each at most 50 bytes of a-z 0-9 _ . : - (trimmed, lower-cased)." };
        var ttl = new Option<string?>("--ttl", "-t") { Description = "Expire after this long: 1500ms, 10m, 3h1m, 2d (default: never).", HelpName = "TTL" };
        var command = new Command("flag", CommandText.Describe(
            "Set user flags on a service (or on every service: all), optionally expiring. Prints each service's flags afterwards.",
            "pmctl flag web maint", "pmctl flag web canary,maint --ttl 1h", "pmctl flag all maint"))
        {
            name,
            flags,
            ttl,
        };
        command.SetAction((parsed, ct) =>
        {
            IReadOnlyList<string> list = FlagList.Parse(parsed.GetValue(flags)!);
            if (list.Count == 0) return Task.FromResult(ctx.Fail(FlagList.NoFlags));
            return ctx.RemoteAsync(parsed, async (client, ct) =>
            {
                var request = new FlagParams { Name = parsed.GetValue(name)!, Flags = list, Ttl = parsed.GetValue(ttl) };
                FlagResult result = await client.CallAsync(RpcMethodNames.Flag, request,
                    ProtocolJsonContext.Default.FlagParams, ProtocolJsonContext.Default.FlagResult, ct).ConfigureAwait(false);
                ctx.PrintMessage(result.Message);
                return 0;
            }, ct);
        });
        return command;
    }
}
