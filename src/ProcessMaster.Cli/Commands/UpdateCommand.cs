using System.CommandLine;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary>
/// <c>pmctl update [--master]</c>: reload service definitions. Prints what changed; every problem (a definition that did
/// not load, kept as last good) goes to stderr and makes the exit code 1 (N-19). With <c>--master</c> the master
/// configuration is read again first: the keys applied live and those that need a restart are printed; a master
/// configuration with a problem changes nothing (exit 1, every problem listed).
/// </summary>
internal static class UpdateCommand
{
    /// <summary>How the daemon's message begins when it changed nothing (a master configuration with a problem).</summary>
    public const string SkippedPrefix = "update skipped";

    public static Command Build(CliContext ctx)
    {
        var master = new Option<bool>("--master")
        {
            Description = "Re-read the master configuration first: apply what can change live (global.log_file, global.stop_services_on_shutdown, " +
                          "admin_actions, where and how definitions are found), name every changed key that needs a daemon restart.",
        };
        var command = new Command("update", CommandText.Describe(
            "Reload the service definitions (with --master: the master config too): start new and enabled services, stop removed or disabled ones, restart changed ones. " +
            "A definition that fails to load keeps its last good version; each problem is printed and the exit code is 1.",
            "pmctl update", "pmctl update --master"))
        {
            master,
        };
        command.SetAction((parsed, ct) => ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            UpdateResult result = await client.CallAsync(RpcMethodNames.Update, new UpdateParams { Master = parsed.GetValue(master) },
                ProtocolJsonContext.Default.UpdateParams, ProtocolJsonContext.Default.UpdateResult, ct).ConfigureAwait(false);
            ctx.PrintMessage(result.Message);
            foreach (string applied in result.MasterApplied) ctx.PrintMessage($"applied: {applied}");
            foreach (string later in result.RestartRequired) ctx.PrintMessage($"needs a restart: {later}");
            if (result.Restarted.Count > 0) ctx.PrintMessage($"restarted: {string.Join(',', result.Restarted)}");
            if (result.Warnings.Count == 0 && result.Applied) return 0;
            string problems = string.Join('\n', result.Warnings.Select(w => "  " + w));
            return ctx.Fail($"update: {result.Warnings.Count} problem{(result.Warnings.Count == 1 ? "" : "s")}; " +
                            (result.Message.StartsWith(SkippedPrefix, StringComparison.Ordinal)
                                ? "the master configuration did not load, so nothing changed; fix it and run `pmctl update --master` again"
                                : "what did not load keeps its last good definition; fix and run `pmctl update` again") + $":\n{problems}");
        }, ct));
        return command;
    }
}
