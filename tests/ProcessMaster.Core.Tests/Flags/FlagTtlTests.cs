using ProcessMaster.Core.Flags;

namespace ProcessMaster.Core.Tests.Flags;

public class FlagTtlTests
{
    [Theory]
    [InlineData("1500ms", 1500)]
    [InlineData("10m", 600_000)]
    [InlineData("3h1m", 10_860_000)]
    [InlineData("5d4h3m2s1ms", 446_582_001)]
    [InlineData("2H", 7_200_000)]
    [InlineData(" 0s ", 0)]
    public void TryParse_Valid(string text, long millis)
    {
        Assert.True(FlagTtl.TryParse(text, out var ttl, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(millis), ttl);
    }

    [Theory]
    [InlineData("", "empty ttl")]
    [InlineData("1h 1m", "ttl must not contain whitespace (e.g. 1h30m)")]
    [InlineData("1m3h", "ttl: units must go from larger to smaller (e.g. 3h1m); got h after smaller/equal unit")]
    [InlineData("1h1h", "ttl: units must go from larger to smaller (e.g. 3h1m); got h after smaller/equal unit")]
    [InlineData("10", "ttl: missing unit after 10 (use d, h, m, s or ms)")]
    [InlineData("h", "ttl: expected number at offset 0 (e.g. 3h1m)")]
    [InlineData("10y", "ttl: invalid unit at offset 2 (use d, h, m, s or ms)")]
    [InlineData("1.5h", "ttl: invalid unit at offset 1 (use d, h, m, s or ms)")]
    [InlineData("99999999999999999999d", "ttl: number 99999999999999999999 is too large")]
    [InlineData("999999999999d", "ttl overflow")]
    public void TryParse_Invalid_SaysWhy(string text, string message)
    {
        Assert.False(FlagTtl.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }
}
