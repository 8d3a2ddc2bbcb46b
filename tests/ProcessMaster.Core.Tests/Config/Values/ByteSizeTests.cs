using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Tests.Config.Values;

public class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("10", 10UL)]
    [InlineData("10m", 10_000_000UL)]
    [InlineData("10MB", 10_000_000UL)]
    [InlineData("10 mb", 10_000_000UL)]
    [InlineData("64MiB", 67_108_864UL)]
    [InlineData("64mi", 67_108_864UL)]
    [InlineData("1.5GiB", 1_610_612_736UL)]
    [InlineData("512k", 512_000UL)]
    [InlineData("4KiB", 4096UL)]
    [InlineData("1t", 1_000_000_000_000UL)]
    [InlineData("1TiB", 1_099_511_627_776UL)]
    [InlineData("  2g  ", 2_000_000_000UL)]
    [InlineData("3b", 3UL)]
    [InlineData("9223372036854775807", 9_223_372_036_854_775_807UL)]
    [InlineData("8388607.999999TiB", 9_223_372_036_853_676_296UL)]
    public void TryParse_DocumentedExamples_GiveBytes(string text, ulong bytes)
    {
        Assert.True(ByteSize.TryParse(text, out ByteSize v, out string error), error);
        Assert.Equal(bytes, v.Bytes);
    }

    [Theory]
    [InlineData("", "empty size")]
    [InlineData("1.5", "invalid size \"1.5\"")]
    [InlineData("m10", "invalid size \"m10\"")]
    [InlineData("-5m", "invalid size \"-5m\"")]
    [InlineData("10x", "unknown size unit \"x\"")]
    [InlineData("10bb", "unknown size unit \"bb\"")]
    [InlineData("1.2.3m", "invalid size number")]
    [InlineData("99999999999999999999", "too large")]
    [InlineData("99999999999TiB", "too large")]
    [InlineData("9223372036854775808", "too large (max 9223372036854775807 bytes")]
    [InlineData("10000000000000000000", "too large")]
    [InlineData("18446744073709551617", "too large")]
    [InlineData("8388608TiB", "too large")]
    [InlineData("79228162514264337593543950335k", "too large")]
    public void TryParse_Junk_ReportsError(string text, string expected)
    {
        Assert.False(ByteSize.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(67_108_864UL, "64MiB")]
    [InlineData(10_000_000UL, "10MB")]
    [InlineData(4096UL, "4KiB")]
    [InlineData(1000UL, "1kB")]
    [InlineData(1001UL, "1001")]
    [InlineData(0UL, "0")]
    public void ToString_ExactUnits_RendersLargestUnit(ulong bytes, string expected) => Assert.Equal(expected, new ByteSize(bytes).ToString());

    [Theory]
    [InlineData("MAX", true)]
    [InlineData("max", true)]
    [InlineData(" Max ", true)]
    [InlineData("0", false)]
    public void MemoryLimit_TryParse_AcceptsMaxAnyCase(string text, bool isMax)
    {
        Assert.True(MemoryLimit.TryParse(text, out MemoryLimit v, out _));
        Assert.Equal(isMax, v.IsMax);
        Assert.Equal(isMax ? "max" : "0", v.CgroupValue);
    }

    [Fact]
    public void MemoryLimit_TryParseJunk_MentionsMax()
    {
        Assert.False(MemoryLimit.TryParse("lots", out _, out string error));
        Assert.Contains("MAX", error, StringComparison.Ordinal);
    }
}
