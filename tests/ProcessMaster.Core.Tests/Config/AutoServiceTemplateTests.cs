using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
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
        Assert.Equal(new ServiceKind.LongRunning(RestartPolicy.Default), s.Kind);
        Assert.Equal(ResourceLimits.Unlimited, s.Resources);
        Assert.True(s.Enabled);
    }

    [Fact]
    public void Render_Defaults_EqualsAnOmittedSectionsDefinition()
    {
        ServiceDefinition rendered = Service(AutoServiceTemplate.Render("api", "/srv/auto/api", "root", "root"), Context, "/srv/auto/api/service.yml");
        ServiceDefinition minimal = Service("process: {user: root, group: root}\n", Context, "/srv/auto/api/service.yml");
        Assert.Equal(minimal, rendered);
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
