using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary>
/// <c>pmctl update</c>: reload service definitions. Prints what changed; every problem (a definition that did not
/// load, kept as last good) goes to stderr and makes the exit code 1 (N-19).
/// </summary>
internal static class UpdateCommand
{
    public static Command Build(CliContext ctx)
    {
        var command = new Command("update", CommandText.Describe(
            "Reload the service definitions (not the master config): start new and enabled services, stop removed or disabled ones, restart changed ones. " +
            "A definition that fails to load keeps its last good version; each problem is printed and the exit code is 1.",
            "pmctl update"));
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            UpdateResult result = await client.CallAsync(RpcMethodNames.Update, new EmptyParams(),
                ProtocolJsonContext.Default.EmptyParams, ProtocolJsonContext.Default.UpdateResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            if (result.Restarted.Count > 0) ctx.PrintMessage($"restarted: {string.Join(',', result.Restarted)}");
            if (result.Warnings.Count == 0 && result.Applied) return 0;
            string problems = string.Join('\n', result.Warnings.Select(w => "  " + w));
            return ctx.Fail($"update: {result.Warnings.Count} problem{(result.Warnings.Count == 1 ? "" : "s")}; " +
                            $"what did not load keeps its last good definition; fix and run `pmctl update` again:\n{problems}");
        }, ct));
        return command;
    }
}
