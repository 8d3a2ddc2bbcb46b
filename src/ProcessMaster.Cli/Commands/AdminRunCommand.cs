using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl admin-run ID</c>.</summary>
internal static class AdminRunCommand
{
    public static Command Build(CliContext ctx)
    {
        var id = new Argument<string>("ID") { Description = "The action id (exact, case-sensitive; see admin-list)." };
        var command = new Command("admin-run", CommandText.Describe(
            "Run an admin action in the admin-actions cgroup (fire and forget; output goes to the daemon's admin action logs).",
            "pmctl admin-run update-pm"))
        {
            id,
        };
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            AdminRunResult result = await client.CallAsync(RpcMethodNames.AdminRun, new AdminRunParams { Id = parsed.GetValue(id)! },
                ProtocolJsonContext.Default.AdminRunParams, ProtocolJsonContext.Default.AdminRunResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            return 0;
        }, ct));
        return command;
    }
}
