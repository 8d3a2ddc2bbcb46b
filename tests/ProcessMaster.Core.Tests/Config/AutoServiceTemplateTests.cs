using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Config.Values;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

public class AutoServiceTemplateTests
{
    [Fact]
    public void Render_Defaults_ParsesCleanlyWithTheExpectedValues()
    {
        string yaml = AutoServiceTemplate.Render("api", "/srv/auto/api", "www", "staff");

        ServiceDefinition s = Service(yaml, Context, "/srv/auto/api/service.yml");
        Assert.Equal("api", s.Name.Value);
        Assert.Equal("/srv/auto/api", s.Process.WorkingDirectory);
        Assert.Equal(["./run.sh"], s.Process.StartCommand);
        Assert.Equal(new StopMethod.BySignal(Signal.Term), s.Process.Stop);
        Assert.Equal(("www", "staff"), (s.Process.User, s.Process.Group));
        Assert.Equal(new RunMode.LongRunning(RestartPolicy.Default), s.RunMode);
        Assert.Equal(ResourceLimits.Unlimited, s.Resources);
        Assert.True(s.Enabled);
    }

    [Fact]
    public void Render_Defaults_EqualsAnOmittedSectionsDefinition()
    {
        ServiceDefinition rendered = Service(AutoServiceTemplate.Render("api", "/srv/auto/api", "nobody", null), Context, "/srv/auto/api/service.yml");
        ServiceDefinition minimal = Service("process: {user: nobody}\n", Context, "/srv/auto/api/service.yml");
        Assert.Equal(minimal, rendered);
    }

    [Theory]
    [InlineData("root", null)]
    [InlineData("0", null)]
    [InlineData("www", "root")]
    public void Render_RootChosenByTheMasterConfig_CarriesAllowRoot(string user, string? group)
    {
        ServiceDefinition rendered = Service(AutoServiceTemplate.Render("api", "/srv/auto/api", user, group), Context, "/srv/auto/api/service.yml");
        Assert.True(rendered.Process.AllowRoot);
        Assert.Equal((user, group), (rendered.Process.User, rendered.Process.Group));
    }

    [Fact]
    public void Render_UnprivilegedUser_NoAllowRoot()
    {
        Assert.DoesNotContain("allow_root", AutoServiceTemplate.Render("api", "/srv/auto/api", "nobody", "nogroup"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("123", "/srv/auto/123")]
    [InlineData("true", "/srv/auto/true")]
    [InlineData("a.b", "/srv/with \"quotes\" and: colons #x")]
    public void Render_AwkwardValues_AreQuotedSafely(string name, string wd)
    {
        ServiceDefinition s = Service(AutoServiceTemplate.Render(name, wd, "0", "0"), Context, $"/srv/auto/{name}/service.yml");
        Assert.Equal(name, s.Name.Value);
        Assert.Equal(wd, s.Process.WorkingDirectory);
        Assert.Equal(("0", "0"), (s.Process.User, s.Process.Group));
    }
}
