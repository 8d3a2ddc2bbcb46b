using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl enable NAME</c> and <c>pmctl disable NAME</c>.</summary>
internal static class EnableCommand
{
    public static Command Build(CliContext ctx) => Build(ctx, enable: true);

    public static Command Build(CliContext ctx, bool enable)
    {
        string verb = enable ? "enable" : "disable";
        var name = new Argument<string>("NAME") { Description = "The service." };
        var command = new Command(verb, CommandText.Describe(
            enable
                ? "Set global.enabled: true in the service's definition file (start it with `pmctl start`)."
                : "Set global.enabled: false in the service's definition file; `pmctl update` or `pmctl stop` stops it.",
            $"pmctl {verb} web"))
        {
            name,
        };
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            EnableResult result = await client.CallAsync(enable ? RpcMethodNames.Enable : RpcMethodNames.Disable,
                new EnableParams { Name = parsed.GetValue(name)! },
                ProtocolJsonContext.Default.EnableParams, ProtocolJsonContext.Default.EnableResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            return 0;
        }, ct));
        return command;
    }
}
