using System.CommandLine;
using ProcessMaster.Cli.Commands;

// pmctl: the command-line client of the processmaster daemon. Each verb lives in Commands/<Verb>Command.cs.
var root = new RootCommand("pmctl: control a processmaster daemon over its unix socket.");
root.Subcommands.Add(VersionCommand.Build());

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"pmctl: {error.Message}");
    Console.Error.WriteLine("Try 'pmctl --help'.");
    return 2;
}
return parsed.Invoke();
