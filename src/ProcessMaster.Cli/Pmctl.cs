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
    /// <summary>Each verb and how to build its command, in the order help lists them.</summary>
    private static readonly (string Name, Func<CliContext, Command> Build)[] Verbs =
    [
        ("status", StatusCommand.Build), ("events", EventsCommand.Build), ("logs", LogsCommand.Build),
        ("start", StartCommand.Build), ("stop", StopCommand.Build), ("restart", RestartCommand.Build), ("update", UpdateCommand.Build),
        ("flag", FlagCommand.Build), ("unflag", UnflagCommand.Build), ("enable", EnableCommand.Build), ("disable", DisableCommand.Build),
        ("admin-list", AdminListCommand.Build), ("admin-ps", AdminPsCommand.Build), ("admin-run", AdminRunCommand.Build), ("admin-kill", AdminKillCommand.Build),
        ("version", _ => VersionCommand.Build()), ("server-version", ServerVersionCommand.Build), ("password", PasswordCommand.Build),
        ("perf-metrics", PerfMetricsCommand.Build), ("metrics", MetricsCommand.Build),
        ("log-reopen", LogReopenCommand.Build), ("shutdown", ShutdownCommand.Build), ("completion", _ => CompletionCommand.Build()),
    ];

    /// <summary>Global options that take a value (the token after them is not the verb).</summary>
    private static readonly string[] ValueOptions = ["--sock", "-s", "--config", "-c", "--daemon-uid", "--timeout"];

    /// <summary>
    /// The whole tree, or, when <paramref name="verb"/> names a command, the root with that command alone: pmctl
    /// runs one command, and building the other twenty-odd (options, descriptions, validators) is start-up time.
    /// </summary>
    public static RootCommand Build(CliContext ctx, string? verb = null)
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
        foreach ((string name, Func<CliContext, Command> build) in Verbs)
            if (verb is null || verb == name) root.Subcommands.Add(build(ctx));
        root.SetAction((parsed, ct) => StatusCommand.RunAsync(ctx, parsed, null, json: false, ct));
        return root;
    }

    /// <summary>
    /// The command <paramref name="args"/> invoke, when that is certain before parsing: the first token that is not
    /// a global option or its value, if it is a verb. Null (build everything) for anything else: no verb, help,
    /// a directive, a response file, an option this cannot place.
    /// </summary>
    public static string? InvokedVerb(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string token = args[i];
            if (ValueOptions.Contains(token))
            {
                i++;
                continue;
            }
            if (token.StartsWith('-'))
            {
                if (ValueOptions.Any(o => token.Length > o.Length + 1 && token.StartsWith(o, StringComparison.Ordinal) && token[o.Length] is '=' or ':')) continue;
                return null;
            }
            return Verbs.Any(v => v.Name == token) ? token : null;
        }
        return null;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, PmctlConsole console, CancellationToken cancellationToken = default)
    {
        var ctx = new CliContext(console);
        RootCommand root = Build(ctx, InvokedVerb(args));
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
