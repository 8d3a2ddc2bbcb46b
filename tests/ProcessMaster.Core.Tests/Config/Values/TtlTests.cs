using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Tests.Config.Values;

public class TtlTests
{
    [Theory]
    [InlineData("1500ms", 1500L)]
    [InlineData("10m", 600_000L)]
    [InlineData("3h1m", 10_860_000L)]
    [InlineData("5d4h3m2s1ms", 446_582_001L)]
    [InlineData("2H", 7_200_000L)]
    [InlineData("0s", 0L)]
    [InlineData("1m500ms", 60_500L)]
    public void TryParse_DocumentedExamples_GiveMilliseconds(string text, long ms)
    {
        Assert.True(Ttl.TryParse(text, out Ttl v, out string error), error);
        Assert.Equal(ms, v.Milliseconds);
    }

    [Theory]
    [InlineData("", "empty ttl")]
    [InlineData("1h 1m", "must not contain whitespace")]
    [InlineData("1m3h", "units must go from larger to smaller (e.g. 3h1m); got h after m")]
    [InlineData("1h1h", "got h after h")]
    [InlineData("10", "missing unit after 10")]
    [InlineData("h", "expected a number at offset 0")]
    [InlineData("10y", "invalid unit at offset 2")]
    [InlineData("1.5h", "invalid unit at offset 1")]
    [InlineData("99999999999999999999d", "too large")]
    [InlineData("999999999999d", "too large")]
    public void TryParse_Junk_ReportsError(string text, string expected)
    {
        Assert.False(Ttl.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(446_582_001L, "5d4h3m2s1ms")]
    [InlineData(0L, "0s")]
    [InlineData(3_600_000L, "1h")]
    public void ToString_IsCanonical(long ms, string expected) => Assert.Equal(expected, new Ttl(ms).ToString());
}
