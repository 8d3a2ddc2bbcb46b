using System.Text;
using ProcessMaster.Core.Config;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

public class ConfigTextTests
{
    [Fact]
    public void TryDecode_InvalidUtf8_IsAProblemAtItsLineAndColumn()
    {
        byte[] bytes = [.. "process:\n  user: ab"u8, 0xFF, .. "c\n"u8];
        Assert.False(ConfigText.TryDecode(ServiceFile, bytes, out _, out ConfigError? e));
        Assert.Equal((2, 11), (e.Line, e.Column));
        Assert.Equal("the file is not valid UTF-8: byte 0xFF at offset 19 does not start a valid character", e.Problem);
        Assert.Contains("@base64://", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_TruncatedSequenceAtTheEnd_IsAProblem()
    {
        byte[] bytes = [.. "a: \"é"u8[..^1]];
        Assert.False(ConfigText.TryDecode(ServiceFile, bytes, out _, out ConfigError? e));
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void TryDecode_ByteOrderMark_IsDropped()
    {
        Assert.True(ConfigText.TryDecode(ServiceFile, [.. Encoding.UTF8.GetPreamble(), .. "a: é\n"u8], out string text, out _));
        Assert.Equal("a: é\n", text);
    }
}
