using ProcessMaster.Cli.Rendering;

namespace ProcessMaster.Rpc.Tests.Cli;

public class RenderingTests
{
    [Theory]
    [InlineData(-1, "-")]
    [InlineData(0, "0s")]
    [InlineData(499, "0s")]
    [InlineData(500, "1s")]
    [InlineData(59_499, "59s")]
    [InlineData(60_000, "1m00s")]
    [InlineData(3_721_000, "1h02m")]
    [InlineData(90_061_000, "1d01h")]
    public void Uptime_Format(long ms, string text) => Assert.Equal(text, Uptime.Format(ms));

    [Fact]
    public void StatusTable_Empty_NoServices() =>
        Assert.Equal("(no services)\n", StatusTable.Render([], TimeZoneInfo.Utc));

    [Theory]
    [InlineData(512L, "512B")]
    [InlineData(2048L, "2.00KiB")]
    [InlineData(12_900_000L, "12.3MiB")]
    public void PerfReport_Bytes(long bytes, string text) => Assert.Equal(text, PerfReport.Bytes(bytes));
}
