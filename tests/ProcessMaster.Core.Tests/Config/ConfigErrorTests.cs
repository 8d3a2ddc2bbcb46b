using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Restart;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

public class ConfigErrorTests
{
    [Theory]
    [InlineData("process.comand", "unknown key \"comand\"", "did you mean \"command\"?", "web.yml:7:3: process.comand: unknown key \"comand\"; did you mean \"command\"?")]
    [InlineData("", "file is empty", "write a mapping", "web.yml:7:3: file is empty; write a mapping")]
    [InlineData("a.b", "bad", "", "web.yml:7:3: a.b: bad")]
    public void ToString_FollowsFileLineColumnKeyProblemFix(string keyPath, string problem, string fix, string expected) =>
        Assert.Equal(expected, new ConfigError("web.yml", 7, 3, keyPath, problem, fix).ToString());

    [Fact]
    public void Result_WithErrors_HasNoValue()
    {
        var r = new ConfigResult<MasterConfig>(Master("global: {config_directory: x}"), [new ConfigError("f", 2, 1, "", "p", "")]);
        Assert.False(r.IsValid);
        Assert.Null(r.Value);
    }

    [Fact]
    public void Parse_AnchorsAndAliases_AreResolved()
    {
        var s = Service("process:\n  start_command: &cmd [./app, --serve]\n  stop_command: *cmd\n");
        Assert.Equal(s.Process.StartCommand, ((StopMethod.ByCommand)s.Process.Stop).Command);
    }

    [Fact]
    public void Parse_NullProcessWithoutAutoDirectory_AsksForWorkingDirectory()
    {
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(ServiceFile, "application: a\nprocess: ~\n", NoAutoDir));
        Assert.Equal(("process.working_directory", 2), (e.KeyPath, e.Line));
    }

    [Fact]
    public void Parse_NullSections_TakeDefaults()
    {
        var s = Service("process:\nlogs: ~\nresources: null\nrestart_policy:\nglobal:\nprovisioning:\n");
        Assert.Equal(ResourceLimits.Unlimited, s.Resources);
        Assert.Equal(new RunMode.LongRunning(RestartPolicy.Default), s.RunMode);
        Assert.True(s.Enabled);
    }

    [Fact]
    public void Parse_UnknownAlias_IsASyntaxErrorWithPosition()
    {
        ConfigError e = SingleError(MasterConfigParser.Parse(MasterFile, "global:\n  config_directory: *nope\n"));
        Assert.Equal(2, e.Line);
        Assert.Contains("invalid YAML", e.Problem, StringComparison.Ordinal);
    }
}
