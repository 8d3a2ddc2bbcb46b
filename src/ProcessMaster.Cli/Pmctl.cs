using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ProcessMaster.Cli.Commands;
using ProcessMaster.Protocol;

namespace ProcessMaster.Cli;

/// <summary>
/// The pmctl command tree and its exit-code rules: 0 success, 1 any error (<c>Error: ...</c> on stderr), 2 usage
/// errors, 0 quietly when stdout's reader went away. Runs in-process for tests with any <see cref="PmctlConsole"/>.
/// </summary>
internal static class Pmctl
{
    public static RootCommand Build(CliContext ctx)
    {
        var root = new RootCommand(CommandText.Describe(
            "pmctl: control a processmaster daemon over its unix socket. Without a command: status.",
            "pmctl status", "pmctl -s /tmp/pm.sock restart web", "PMCTL_SOCK=/tmp/pm.sock pmctl logs -f web",
            "pmctl -c /etc/processmaster/config.yaml events -n 50"));
        root.Options.Add(ctx.Options.Sock);
        root.Options.Add(ctx.Options.Config);
        root.Options.Add(ctx.Options.DaemonUid);
        root.Options.Add(ctx.Options.Timeout);
        foreach (VersionOption version in root.Options.OfType<VersionOption>())
        {
            version.Description = "Print this pmctl's build stamp and exit.";
            version.Action = new PrintBanner();
        }
        Command[] commands =
        [
            StatusCommand.Build(ctx), EventsCommand.Build(ctx), LogsCommand.Build(ctx),
            StartCommand.Build(ctx), StopCommand.Build(ctx), RestartCommand.Build(ctx), UpdateCommand.Build(ctx),
            FlagCommand.Build(ctx), UnflagCommand.Build(ctx), EnableCommand.Build(ctx), DisableCommand.Build(ctx),
            AdminListCommand.Build(ctx), AdminPsCommand.Build(ctx), AdminRunCommand.Build(ctx), AdminKillCommand.Build(ctx),
            VersionCommand.Build(), ServerVersionCommand.Build(ctx), PasswordCommand.Build(ctx), PerfMetricsCommand.Build(ctx), MetricsCommand.Build(ctx),
            LogReopenCommand.Build(ctx), ShutdownCommand.Build(ctx), CompletionCommand.Build(),
        ];
        foreach (Command command in commands) root.Subcommands.Add(command);
        root.SetAction((parsed, ct) => StatusCommand.RunAsync(ctx, parsed, null, json: false, ct));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, PmctlConsole console, CancellationToken cancellationToken = default)
    {
        var ctx = new CliContext(console);
        RootCommand root = Build(ctx);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
        {
            foreach (var error in parsed.Errors) console.Error.WriteLine($"pmctl: {error.Message}");
            console.Error.WriteLine("Try 'pmctl --help'.");
            return 2;
        }
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (StdoutClosedException)
        {
            return 0;
        }
        catch (CliException e)
        {
            return ctx.Fail(e.Message);
        }
    }

    private sealed class PrintBanner : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(BuildInfo.Banner);
            return 0;
        }
    }
}
