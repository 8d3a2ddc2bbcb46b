using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

/// <summary>Caps on what a definition can make the daemon copy into a child (audit N-04): argv and environment.</summary>
public class CommandAndEnvironmentLimitTests
{
    private const string Head = "process:\n  working_directory: /srv/x\n";

    /// <summary>A list of <paramref name="words"/> quoted words of <paramref name="length"/> characters.</summary>
    private static string Words(int words, int length) =>
        "[" + string.Join(", ", Enumerable.Repeat("\"" + new string('a', length) + "\"", words)) + "]";

    [Theory]
    [InlineData("start_command")]
    [InlineData("stop_command")]
    public void Parse_CommandOverTheArgvLimit_IsAProblemAtTheCommand(string key)
    {
        // 3 words of 50000 bytes (+ NUL) = 150003 bytes > 131072.
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(ServiceFile, Head + $"  {key}: {Words(3, 50_000)}\n", Context));
        Assert.Equal($"process.{key}", e.KeyPath);
        Assert.Equal("the command is 150003 bytes (3 words), over the limit of 131072 bytes", e.Problem);
        Assert.Equal("shorten it; pass large data in a file the program reads", e.Fix);
    }

    [Fact]
    public void Parse_CommandAtTheArgvLimit_IsAccepted()
    {
        // 2 words of 65535 characters + NULs = 131072 bytes exactly.
        ServiceDefinition d = Service(Head + $"  start_command: {Words(2, 65_535)}\n");
        Assert.Equal(2, d.Process.StartCommand.Count);
    }

    [Fact]
    public void Parse_EnvironmentOverTheLimit_IsAProblemAtTheEntryThatCrossesIt()
    {
        string entries = string.Concat(Enumerable.Range(0, 3).Select(i => $"    - {{name: V{i}, value: \"{new string('x', 50_000)}\"}}\n"));
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(ServiceFile, Head + "  environment:\n" + entries, Context));
        Assert.Equal("process.environment[2]", e.KeyPath);
        Assert.StartsWith("the environment is over the limit of 131072 bytes", e.Problem, StringComparison.Ordinal);
        Assert.Contains("@file://", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EnvironmentCountsDecodedBytes()
    {
        // Four @hex:// values of 60000 digits: 240000 characters of text, but 4 x 30000 bytes in the environment.
        string hex = new('4', 60_000);
        string entries = string.Concat(Enumerable.Range(0, 4).Select(i => $"    - {{name: V{i}, value: \"@hex://{hex}\"}}\n"));
        ServiceDefinition d = Service(Head + "  environment:\n" + entries);
        Assert.Equal(4, d.Process.Environment.Count);
    }

    [Fact]
    public void Parse_AdminActionCommandOverTheArgvLimit_IsAProblemAtTheAction()
    {
        string yaml = $"global:\n  config_directory: x\nadmin_actions:\n  big:\n    command: {Words(3, 50_000)}\n";
        ConfigError e = SingleError(MasterConfigParser.Parse(MasterFile, yaml));
        Assert.Equal("admin_actions.big.command", e.KeyPath);
        Assert.Contains("over the limit of 131072 bytes", e.Problem, StringComparison.Ordinal);
    }
}
