using System.Runtime.ExceptionServices;
using System.Text;
using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config.Parsing;

/// <summary>
/// Hostile YAML (security audit N-03, N-04, N-15): nesting, alias amplification, huge values, many keys. Each is a
/// clear problem at a position, found without deep recursion (the parse runs on a 256 KiB stack here; the daemon's
/// threads have 1.5 MiB or more) and in time linear in the file.
/// </summary>
public class YamlLimitsTests
{
    private const string Head = "process:\n  working_directory: /srv/x\n";

    [Theory]
    [InlineData(20_000)]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    public void Parse_DeepFlowNesting_RefusedAtTheFirstBracketPastTheLimit(int depth)
    {
        string text = Head + "  start_command: " + new string('[', depth) + new string(']', depth) + "\n";

        ConfigError e = OnSmallStack(() => SingleError(ServiceDefinitionParser.Parse(ServiceFile, text, Context)));

        // Root mapping and process: are levels 1 and 2, so the 63rd '[' (column 18 + 62) opens level 65.
        Assert.Equal((3, 80), (e.Line, e.Column));
        Assert.Equal("lists and mappings are nested more than 64 levels deep; the file is not read further", e.Problem);
        Assert.Contains("remove the extra", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnclosedFlowNesting_RefusedTheSameWay()
    {
        string text = Head + "  start_command: " + new string('[', 100_000) + "\n";
        ConfigError e = OnSmallStack(() => SingleError(ServiceDefinitionParser.Parse(ServiceFile, text, Context)));
        Assert.Contains("nested more than 64 levels", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepFlowMappings_Refused()
    {
        string text = Head + "  start_command: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "\n";
        ConfigError e = OnSmallStack(() => SingleError(ServiceDefinitionParser.Parse(ServiceFile, text, Context)));
        Assert.Contains("nested more than 64 levels", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepBlockSequenceOnOneLine_Refused()
    {
        string text = Head + "  start_command:\n    " + string.Concat(Enumerable.Repeat("- ", 100_000)) + "x\n";
        ConfigError e = OnSmallStack(() => SingleError(ServiceDefinitionParser.Parse(ServiceFile, text, Context)));
        Assert.Contains("nested more than 64 levels", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepBlockIndentation_RefusedAtTheLineThatOpensLevel65()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 200; i++) text.Append(' ', i).Append('k').Append(i).Append(":\n");
        ConfigError e = OnSmallStack(() => SingleError(ServiceDefinitionParser.Parse(ServiceFile, text.ToString(), Context)));
        Assert.Equal(65, e.Line); // the value of k63 (the mapping that starts with k64 on line 65) would be level 65
        Assert.Contains("nested more than 64 levels", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingAtTheLimit_IsReadAndCheckedAsUsual()
    {
        // Levels: root, process, then 62 lists = 64.
        string text = Head + "  start_command: " + new string('[', 62) + "x" + new string(']', 62) + "\n";
        var r = ServiceDefinitionParser.Parse(ServiceFile, text, Context);
        Assert.DoesNotContain(r.Errors, e => e.Problem.Contains("nested", StringComparison.Ordinal));
        Assert.Contains(r.Errors, e => e.KeyPath == "process.start_command[0]" && e.Problem.StartsWith("expected a string", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FlatAliasesToABigScalar_RefusedAtTheAliasThatCrossesTheLimit()
    {
        // The audit's N-04 file: 5000 aliases to a 200 KB value would be 1 GB of argv.
        string text = Head + "  environment: [{name: BIG, value: &s \"" + new string('A', 200_000) + "\"}]\n"
                      + "  start_command: [\"/bin/true\"" + string.Concat(Enumerable.Repeat(", *s", 5000)) + "]\n";

        var r = OnSmallStack(() => ServiceDefinitionParser.Parse(ServiceFile, text, Context));

        Assert.False(r.IsValid);
        ConfigError expand = Assert.Single(r.Errors, e => e.Problem.Contains("expands to more than 4194304 characters", StringComparison.Ordinal));
        Assert.Equal(4, expand.Line);
        Assert.Contains(r.Errors, e => e.Line == 3 && e.Problem.Contains("200000 characters is over the limit of 65536", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FlatAliasesToValuesUnderTheScalarLimit_StillRefused()
    {
        string text = Head + "  start_command: [&s \"" + new string('A', 60_000) + "\"" + string.Concat(Enumerable.Repeat(", *s", 100)) + "]\n";
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(ServiceFile, text, Context));
        Assert.Contains("expands to more than 4194304 characters (aliases included)", e.Problem, StringComparison.Ordinal);
        Assert.Contains("*aliases", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BillionLaughs_Refused()
    {
        var text = new StringBuilder("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (int i = 1; i < 10; i++)
            text.Append($"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(ServiceFile, text.ToString(), Context));
        Assert.Contains("expands to more than", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AFewAliases_AreFine()
    {
        ServiceDefinition d = Service(Head + "  start_command: &cmd [\"/bin/app\", \"--serve\"]\n  stop_command: *cmd\n");
        Assert.Equal(d.Process.StartCommand, ((StopMethod.ByCommand)d.Process.Stop).Command);
    }

    [Fact]
    public void Parse_HugePlainKey_IsInvalidYamlNamingTheKeyLimit()
    {
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(ServiceFile, Head + new string('k', 100_000) + ": 1\n", Context));
        Assert.Equal(3, e.Line);
        Assert.StartsWith("invalid YAML:", e.Problem, StringComparison.Ordinal);
        Assert.Equal("a key without '?' is at most 1024 characters in YAML; shorten the key", e.Fix);
    }

    [Fact]
    public void Parse_HugeExplicitKey_ReportedShortly()
    {
        var r = ServiceDefinitionParser.Parse(ServiceFile, Head + "? " + new string('k', 100_000) + "\n: 1\n", Context);
        Assert.True(r.Errors.Count == 2, r.ToString()[..Math.Min(600, r.ToString().Length)]);
        Assert.Contains("100000 characters is over the limit", r.Errors[0].Problem, StringComparison.Ordinal);
        Assert.StartsWith("unknown key \"kkkk", r.Errors[1].Problem, StringComparison.Ordinal);
        Assert.True(r.Errors[1].ToString().Length < 1000, "the message repeats the whole key");
    }

    [Fact]
    public void Parse_ByteOrderMark_IsAccepted()
    {
        ServiceDefinition d = Service("\uFEFF" + Head + "  start_command: [\"/bin/true\"]\n");
        Assert.Equal("/srv/x", d.Process.WorkingDirectory);
    }

    [Fact]
    public void Parse_ManyProblems_KeepsTheFirstHundredAndCountsTheRest()
    {
        var text = new StringBuilder(Head);
        for (int i = 0; i < 150; i++) text.Append("unknown").Append(i).Append(": 1\n");
        var r = ServiceDefinitionParser.Parse(ServiceFile, text.ToString(), Context);

        Assert.Equal(101, r.Errors.Count);
        Assert.Equal("unknown key \"unknown0\"", r.Errors[0].Problem);
        Assert.Equal("… and 50 more problems (only the first 100 are shown)", r.Errors[^1].Problem);
        Assert.Equal($"{ServiceFile}: … and 50 more problems (only the first 100 are shown); fix the ones above and check again", r.Errors[^1].ToString());
    }

    [Fact]
    public void Parse_ManyUnknownKeys_OnlyTheFirstFewGetASuggestion()
    {
        var text = new StringBuilder(Head);
        for (int i = 0; i < 10; i++) text.Append("proces").Append((char)('a' + i)).Append(": 1\n");
        var r = ServiceDefinitionParser.Parse(ServiceFile, text.ToString(), Context);

        Assert.Equal(10, r.Errors.Count);
        Assert.All(r.Errors.Take(ConfigLimits.MaxSuggestions), e => Assert.StartsWith("did you mean \"process\"?", e.Fix, StringComparison.Ordinal));
        Assert.All(r.Errors.Skip(ConfigLimits.MaxSuggestions), e => Assert.StartsWith("valid keys here:", e.Fix, StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Parse_OneMebibyteOf93kKeys_ChecksInLinearTime()
    {
        // The audit's N-15 file. Quadratic duplicate detection took 2.5 minutes on it; linear takes well under a second,
        // so the generous timeout only fails an O(n²) algorithm.
        var text = new StringBuilder();
        int keys = 0;
        while (text.Length < (1 << 20) - 12) text.Append('k').Append((keys++).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Append(": 1\n");

        var r = await Task.Run(() => ServiceDefinitionParser.Parse(ServiceFile, text.ToString(), Context), TestContext.Current.CancellationToken);

        Assert.True(keys > 93_000, keys.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ConfigLimits.MaxProblemsPerFile + 1, r.Errors.Count);
        Assert.Equal($"… and {keys + 1 - ConfigLimits.MaxProblemsPerFile} more problems (only the first 100 are shown)", r.Errors[^1].Problem);
    }

    [Fact(Timeout = 60_000)]
    public async Task Parse_ManyEnvironmentEntries_RefusedAtTheEnvironmentLimit()
    {
        var text = new StringBuilder(Head + "  environment:\n");
        for (int i = 0; text.Length < (1 << 20) - 40; i++) text.Append("    - {name: V").Append(i).Append(", value: \"\"}\n");

        var r = await Task.Run(() => ServiceDefinitionParser.Parse(ServiceFile, text.ToString(), Context), TestContext.Current.CancellationToken);

        ConfigError e = Assert.Single(r.Errors);
        Assert.Contains("the environment is over the limit of 131072 bytes", e.Problem, StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="work"/> on a thread with a 256 KiB stack: unbounded recursion would overflow it.</summary>
    private static T OnSmallStack<T>(Func<T> work)
    {
        T? result = default;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        error?.Throw();
        return result!;
    }
}
