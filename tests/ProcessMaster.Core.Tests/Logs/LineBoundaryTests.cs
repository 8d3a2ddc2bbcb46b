using System.Text;
using ProcessMaster.Core.Logs;

namespace ProcessMaster.Core.Tests.Logs;

public class LineBoundaryTests
{
    [Theory]
    [InlineData("tail of line\nnext line\n", 13)]
    [InlineData("\n", 1)]
    [InlineData("no newline yet", null)]
    [InlineData("", null)]
    public void BytesToFinishLine_UpToFirstNewline(string pending, int? expected) =>
        Assert.Equal(expected, LineBoundary.BytesToFinishLine(Encoding.UTF8.GetBytes(pending)));

    [Fact]
    public void MustCutMidLine_OnlyAtOrPastLimit()
    {
        Assert.False(LineBoundary.MustCutMidLine(1023, 1024));
        Assert.True(LineBoundary.MustCutMidLine(1024, 1024));
    }
}

public class LogRelativePathTests
{
    [Theory]
    [InlineData("logs/stdout.log", new[] { "logs" }, "stdout.log")]
    [InlineData("./logs//a/./b.log", new[] { "logs", "a" }, "b.log")]
    [InlineData("out.log", new string[0], "out.log")]
    public void TryParse_Valid(string text, string[] dirs, string file)
    {
        Assert.True(LogRelativePath.TryParse(text, out LogRelativePath? path, out string? error), error);
        Assert.Equal(dirs, path!.Directories);
        Assert.Equal(file, path.FileName);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/var/log/x.log", "absolute")]
    [InlineData("logs/../../etc/passwd", "leaves the working directory")]
    [InlineData("logs/", "names a directory")]
    [InlineData(".", "names a directory")]
    public void TryParse_Invalid_SaysWhy(string text, string why)
    {
        Assert.False(LogRelativePath.TryParse(text, out _, out string? error));
        Assert.Contains(why, error);
    }
}
