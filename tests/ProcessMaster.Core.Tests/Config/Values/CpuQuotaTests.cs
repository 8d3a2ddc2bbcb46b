using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Tests.Config.Values;

public class CpuQuotaTests
{
    [Theory]
    [InlineData("MAX", "max 100000")]
    [InlineData("max", "max 100000")]
    [InlineData("100m", "10000 100000")]
    [InlineData("100M", "10000 100000")]
    [InlineData("1500m", "150000 100000")]
    [InlineData("1", "100000 100000")]
    [InlineData("1.5", "150000 100000")]
    [InlineData("0.25", "25000 100000")]
    [InlineData("20000 100000", "20000 100000")]
    [InlineData("max 50000", "max 50000")]
    [InlineData("  2  ", "200000 100000")]
    public void TryParse_DocumentedExamples_GiveCpuMax(string text, string cpuMax)
    {
        Assert.True(CpuQuota.TryParse(text, out CpuQuota v, out string error), error);
        Assert.Equal(cpuMax, v.CgroupValue);
    }

    [Theory]
    [InlineData("", "empty cpu value")]
    [InlineData("1.5m", "whole number before 'm'")]
    [InlineData("-1m", "whole number before 'm'")]
    [InlineData("-1", "must be >= 0")]
    [InlineData("0", "below the kernel minimum")]
    [InlineData("5m", "below the kernel minimum")]
    [InlineData("lots", "invalid cpu value")]
    [InlineData("1 2 3", "exactly two numbers")]
    [InlineData("20000 x", "period \"x\"")]
    [InlineData("x 100000", "quota \"x\"")]
    [InlineData("20000 999", "outside the kernel's range")]
    [InlineData("99999999", "too large")]
    [InlineData("9223372036854775808m", "too large (max 1000000 cores)")]
    [InlineData("9223372036854775808", "too large")]
    [InlineData("9223372036854775808 100000", "more than 1000000 cores")]
    [InlineData("100000100000 100000", "more than 1000000 cores")]
    [InlineData("100000 18446744073709551617", "outside the kernel's range")]
    public void TryParse_Junk_ReportsError(string text, string expected)
    {
        Assert.False(CpuQuota.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100m", "100m")]
    [InlineData("1.5", "1500m")]
    [InlineData("MAX", "MAX")]
    [InlineData("20000 50000", "20000 50000")]
    [InlineData("12345 100000", "12345 100000")]
    public void ToString_ParsedValue_IsReadable(string text, string expected)
    {
        Assert.True(CpuQuota.TryParse(text, out CpuQuota v, out _));
        Assert.Equal(expected, v.ToString());
    }
}
