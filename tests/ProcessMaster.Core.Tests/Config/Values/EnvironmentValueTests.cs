using System.Text;
using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Tests.Config.Values;

public class EnvironmentValueTests
{
    [Theory]
    [InlineData("@hex://0x48 65 6c", "Hel")]
    [InlineData("@hex://48:65:6C", "Hel")]
    [InlineData("@hex://", "")]
    [InlineData("@b64://SGk=", "Hi")]
    [InlineData("@base64://SGk=", "Hi")]
    [InlineData("  @b64://SGk=  ", "Hi")]
    [InlineData("  plain  ", "  plain  ")]
    [InlineData("@other://x", "@other://x")]
    [InlineData("", "")]
    public void TryParse_Literals_DecodeAtLoad(string text, string expected)
    {
        Assert.True(EnvironmentValue.TryParse(text, out EnvironmentValue v, out string error), error);
        var literal = Assert.IsType<EnvironmentValue.Literal>(v);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), literal.Bytes);
    }

    [Fact]
    public void TryParse_FileIndirection_IsAReferenceNotRead()
    {
        Assert.True(EnvironmentValue.TryParse("@file:///etc/app/secret", out EnvironmentValue v, out _));
        Assert.Equal(new EnvironmentValue.FileReference("/etc/app/secret"), v);
        Assert.Equal("@file:///etc/app/secret", v.ToString());
    }

    [Fact]
    public void TryParse_BinaryBase64_KeepsBytes()
    {
        Assert.True(EnvironmentValue.TryParse("@b64://AP8=", out EnvironmentValue v, out _));
        Assert.Equal(new byte[] { 0, 255 }, ((EnvironmentValue.Literal)v).Bytes);
    }

    [Theory]
    [InlineData("@hex://abc", "odd number of hex digits (3)")]
    [InlineData("@base64://!!", "not valid base64")]
    [InlineData("@b64://SGk", "not valid base64")]
    [InlineData("@file://", "needs a path")]
    public void TryParse_Junk_ReportsError(string text, string expected)
    {
        Assert.False(EnvironmentValue.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A=B", "must not contain '='")]
    [InlineData("", "must not be empty")]
    [InlineData("A\0B", "NUL")]
    public void TryValidateName_Bad_ReportsError(string name, string expected)
    {
        Assert.False(EnvironmentVariable.TryValidateName(name, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
