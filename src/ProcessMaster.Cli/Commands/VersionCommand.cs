using System.CommandLine;
using ProcessMaster.Protocol;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl version</c>: this binary's build stamp; needs no daemon.</summary>
internal static class VersionCommand
{
    public static Command Build()
    {
        var command = new Command("version", "Print this pmctl's build stamp. The daemon only accepts a pmctl built together with it.");
        command.SetAction(parsed =>
        {
            parsed.InvocationConfiguration.Output.WriteLine(BuildInfo.Banner);
            return 0;
        });
        return command;
    }
}
