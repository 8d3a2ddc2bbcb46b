using System.CommandLine;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl disable NAME</c>.</summary>
internal static class DisableCommand
{
    public static Command Build(CliContext ctx) => EnableCommand.Build(ctx, enable: false);
}
