using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Rpc.Tests.Framing;

public class TerminalTextTests
{
    [Theory]
    [InlineData("plain text: ok, é, 日本", "plain text: ok, é, 日本")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("ok\u001b[31mRED\u001b[0m", "ok\\x1b[31mRED\\x1b[0m")]
    [InlineData("\u001b]0;pwned\u0007", "\\x1b]0;pwned\\x07")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("nul\0del\u007fc1\u009b", "nul\\x00del\\x7fc1\\x9b")]
    [InlineData("bidi\u202eevil\u2066", "bidi\\u{202e}evil\\u{2066}")]
    [InlineData("line\u2028sep", "line\\u{2028}sep")]
    [InlineData("back\\slash", "back\\slash")]
    public void Escape_MakesControlCharactersVisible_OneLine(string text, string shown) => Assert.Equal(shown, TerminalText.Escape(text));

    [Fact]
    public void EscapeLines_KeepsNewlines_EscapesTheRest() =>
        Assert.Equal("web: ok\napi: \\x1b[2J\\r", TerminalText.EscapeLines("web: ok\napi: \u001b[2J\r"));

    [Fact]
    public void EscapeLogLine_KeepsTabs() => Assert.Equal("a\tb \\x1b[0m", TerminalText.EscapeLogLine("a\tb \u001b[0m"));

    [Fact]
    public void Escape_Unchanged_ReturnsTheSameString()
    {
        string text = "nothing to escape";
        Assert.Same(text, TerminalText.Escape(text));
    }

    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("0123456789abc", 10, "0123456789…")]
    public void Truncate_CutsWithEllipsis(string text, int max, string expected) => Assert.Equal(expected, TerminalText.Truncate(text, max));
}
