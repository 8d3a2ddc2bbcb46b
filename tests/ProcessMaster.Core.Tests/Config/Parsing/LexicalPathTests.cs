using ProcessMaster.Core.Config.Parsing;

namespace ProcessMaster.Core.Tests.Config.Parsing;

public class LexicalPathTests
{
    [Theory]
    [InlineData("/opt/app", "./logs/x.log", "/opt/app/logs/x.log")]
    [InlineData("/opt/app", "/var/log/x.log", "/var/log/x.log")]
    [InlineData("/opt/app", "a/../b", "/opt/app/b")]
    [InlineData("/opt/app", "../../../../etc", "/etc")]
    [InlineData("", "config.d", "config.d")]
    [InlineData("", "./config.d/", "config.d")]
    [InlineData("rel", "../x", "x")]
    [InlineData("", "../x", "../x")]
    [InlineData("/", ".", "/")]
    public void Resolve_JoinsAndNormalises(string baseDir, string path, string expected) =>
        Assert.Equal(expected, LexicalPath.Resolve(baseDir, path));

    [Theory]
    [InlineData("/opt/app", "/opt/app/logs/x", true)]
    [InlineData("/opt/app", "/opt/app", true)]
    [InlineData("/opt/app", "/opt/app/../other", false)]
    [InlineData("/opt/app", "/opt/application/x", false)]
    [InlineData("/opt/app", "/etc/shadow", false)]
    [InlineData("app", "app/x", true)]
    [InlineData("app", "../app/x", false)]
    [InlineData("/", "/anything", true)]
    public void IsInside_ComparesWholeSegments(string dir, string path, bool inside) =>
        Assert.Equal(inside, LexicalPath.IsInside(dir, path));
}
