using CsCheck;
using ProcessMaster.Core.Config;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

/// <summary>Whatever the text, the parsers return errors; they never throw.</summary>
public class ParserRobustnessTests
{
    private const string Sample = """
        application: web
        process:
          working_directory: /opt/web
          start_command: ["./run.sh", "--port", 80]
          environment:
            - {name: A, value: "@hex://4142"}
          schedule: "*/5 * * * *"
        logs: {rotation_size: 10m, hints: [a.log]}
        global:
          enabled: true
        """;

    private const string YamlChars = " \n\t:-[]{},'\"#&*!|>%@`?abcdefgprocesmtn0123456789.";

    [Fact]
    public void Parse_RandomText_NeverThrows() =>
        Gen.OneOf(Gen.String, Gen.String[Gen.Char[YamlChars], 0, 80]).Sample(text =>
        {
            Assert.NotNull(MasterConfigParser.Parse(MasterFile, text));
            Assert.NotNull(ServiceDefinitionParser.Parse(ServiceFile, text, Context));
        }, iter: 3000);

    [Fact]
    public void Parse_MutatedValidFile_NeverThrowsAndPlacesErrorsInTheFile() =>
        Gen.Select(Gen.Int[0, Sample.Length - 1], Gen.Char[YamlChars], Gen.Int[0, 2]).Sample((at, c, op) =>
        {
            string text = op switch
            {
                0 => Sample.Remove(at, 1),
                1 => Sample.Insert(at, c.ToString()),
                _ => Sample[..at],
            };
            ConfigResult<ProcessMaster.Core.Config.Model.ServiceDefinition> r = ServiceDefinitionParser.Parse(ServiceFile, text, Context);
            int lines = text.Split('\n').Length + 1;
            Assert.All(r.Errors, e => Assert.InRange(e.Line, 1, lines));
            Assert.Equal(r.IsValid, r.Value is not null);
        }, iter: 3000);
}
