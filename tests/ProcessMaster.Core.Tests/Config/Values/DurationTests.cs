using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Tests.Config.Values;

public class DurationTests
{
    [Theory]
    [InlineData("500ms", 500L)]
    [InlineData("30s", 30_000L)]
    [InlineData("1m", 60_000L)]
    [InlineData("1.5m", 90_000L)]
    [InlineData("2h", 7_200_000L)]
    [InlineData("10 s", 10_000L)]
    [InlineData("10S", 10_000L)]
    [InlineData("0s", 0L)]
    [InlineData("0.0005s", 1L)]
    [InlineData("87600h", 315_360_000_000L)]
    public void TryParse_DocumentedExamples_GiveMilliseconds(string text, long ms)
    {
        Assert.True(Duration.TryParse(text, out Duration v, out string error), error);
        Assert.Equal(ms, v.Milliseconds);
    }

    [Theory]
    [InlineData("", "empty duration")]
    [InlineData("10", "invalid duration \"10\"")]
    [InlineData("1.5", "invalid duration \"1.5\"")]
    [InlineData("s", "invalid duration \"s\"")]
    [InlineData("-1s", "invalid duration \"-1s\"")]
    [InlineData("1.2.3s", "invalid duration number")]
    [InlineData("1d", "unknown duration unit \"d\"")]
    [InlineData("1h30m", "unknown duration unit \"h30m\"")]
    [InlineData("1e3s", "unknown duration unit \"e3s\"")]
    [InlineData("99999999999999999999h", "too large")]
    [InlineData("87601h", "too large (at most 315360000000 ms, 3650 days)")]
    [InlineData("315360000001ms", "too large")]
    [InlineData("9223372036854775808ms", "too large")]
    [InlineData("18446744073709551617s", "too large")]
    public void TryParse_Junk_ReportsError(string text, string expected)
    {
        Assert.False(Duration.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("never")]
    [InlineData("NEVER")]
    [InlineData("")]
    [InlineData("  ")]
    public void TryParseOrNever_Never_IsNull(string text)
    {
        Assert.True(Duration.TryParseOrNever(text, out Duration? v, out _));
        Assert.Null(v);
    }

    [Theory]
    [InlineData(7_200_000L, "2h")]
    [InlineData(90_000L, "90s")]
    [InlineData(1500L, "1500ms")]
    [InlineData(0L, "0ms")]
    public void ToString_RendersLargestExactUnit(long ms, string expected) => Assert.Equal(expected, Duration.FromMilliseconds(ms).ToString());
}
