using ProcessMaster.Core.Config;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

public class EnableSwitchTests
{
    [Fact]
    public void Rewrite_ExistingValue_ReplacesOnlyThatScalar()
    {
        const string yaml = "# my service\nprocess: {}\nglobal:\n  enabled: true   # keep me\nlogs: {}\n";
        Assert.Equal("# my service\nprocess: {}\nglobal:\n  enabled: false   # keep me\nlogs: {}\n", EnableSwitch.Rewrite(yaml, false));
    }

    [Fact]
    public void Rewrite_GlobalWithoutEnabled_InsertsALine()
    {
        const string yaml = "process: {}\nglobal:\n    other: 1\n";
        Assert.Equal("process: {}\nglobal:\n    enabled: false\n    other: 1\n", EnableSwitch.Rewrite(yaml, false));
    }

    [Fact]
    public void Rewrite_NoGlobal_AppendsSection()
    {
        Assert.Equal("process: {} # c\nglobal:\n  enabled: false\n", EnableSwitch.Rewrite("process: {} # c", false));
    }

    [Theory]
    [InlineData("process: {}\nglobal: {}\n")]
    [InlineData("process: {}\nglobal: {enabled: true}\n")]
    [InlineData("process: {}\nglobal:\n")]
    [InlineData("process: {}\nglobal: ~\n")]
    [InlineData("{process: {}, global: {enabled: true}}")]
    [InlineData("")]
    public void Rewrite_AnyLayout_ParsesWithTheNewValue(string yaml)
    {
        foreach (bool enabled in new[] { true, false })
        {
            string result = EnableSwitch.Rewrite(yaml, enabled);
            string withProcess = result.Contains("process", StringComparison.Ordinal) ? result : result + "process: {}\n";
            Assert.Equal(enabled, Service(withProcess).Enabled);
        }
    }

    [Fact]
    public void Rewrite_ServiceFileKeepsEverythingElse()
    {
        string yaml = AutoServiceTemplate.Render("api", "/srv/auto/api", "root", "root");
        string disabled = EnableSwitch.Rewrite(yaml, false);
        Assert.Equal(Service(yaml) with { Enabled = false }, Service(disabled));
        Assert.Equal(yaml, EnableSwitch.Rewrite(disabled, true));
    }

    [Theory]
    [InlineData("- a\n- b\n")]
    [InlineData("just text")]
    [InlineData("a: [1,\n")]
    public void Rewrite_NotAMapping_Throws(string yaml) =>
        Assert.Throws<FormatException>(() => EnableSwitch.Rewrite(yaml, true));
}
