using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Parsing;

namespace ProcessMaster.Core.Tests.Config;

/// <summary>The files in examples/ (copied next to the test assembly) parse and mention every key.</summary>
public class ExampleFilesTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", name));

    [Fact]
    public void ConfigFullYaml_Parses()
    {
        ConfigResult<MasterConfig> r = MasterConfigParser.Parse("/etc/processmaster/config.yaml", Read("config.full.yaml"));
        Assert.True(r.IsValid, r.ToString());
        Assert.Equal("/etc/processmaster/config.d", r.Value.Global.ConfigDirectory);
        Assert.Equal("update-pm", Assert.Single(r.Value.AdminActions).Id);
    }

    [Theory]
    [InlineData("service.full.yaml")]
    [InlineData("job.full.yaml")]
    public void ServiceExamples_Parse(string file)
    {
        var ctx = new ServiceParseContext("/srv/processmaster", "root", "root");
        ConfigResult<ServiceDefinition> r = ServiceDefinitionParser.Parse("/etc/processmaster/config.d/" + file, Read(file), ctx);
        Assert.True(r.IsValid, r.ToString());
    }

    [Fact]
    public void ConfigFullYaml_MentionsEveryKey() => AssertMentionsEveryKey(Read("config.full.yaml"), YamlSchema.MasterConfig);

    [Fact]
    public void ServiceFullYaml_MentionsEveryKey() => AssertMentionsEveryKey(Read("service.full.yaml"), YamlSchema.ServiceFile);

    private static void AssertMentionsEveryKey(string text, ObjectShape shape)
    {
        foreach (string key in Keys(shape))
        {
            Assert.True(text.Contains(key + ":", StringComparison.Ordinal), $"the example does not mention \"{key}\"");
        }
    }

    private static IEnumerable<string> Keys(Shape shape) => shape switch
    {
        ObjectShape o => o.Fields.SelectMany(f => Keys(f.Shape).Prepend(f.Key)),
        ListShape l => Keys(l.Item),
        DictionaryShape d => Keys(d.Value),
        _ => [],
    };
}
