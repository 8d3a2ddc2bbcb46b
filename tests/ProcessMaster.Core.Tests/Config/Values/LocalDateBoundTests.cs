using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Tests.Config.Values;

public class LocalDateBoundTests
{
    // A pure test zone: UTC+1, DST UTC+2 from the last Sunday of March 02:00 to the last Sunday of October 03:00.
    private static readonly TimeZoneInfo Cet = TimeZoneInfo.CreateCustomTimeZone("Test/CET", TimeSpan.FromHours(1), "CET", "CET", "CEST",
    [
        TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday)),
    ]);

    [Theory]
    [InlineData("2025-01-01", false, "2025-01-01T00:00:00.000")]
    [InlineData("2025-12-31", true, "2025-12-31T23:59:59.999")]
    [InlineData("2025-01-01 08:30:00", false, "2025-01-01T08:30:00.000")]
    [InlineData("2025-01-01_08:30:00", true, "2025-01-01T08:30:00.000")]
    [InlineData(" 2025-01-01 ", false, "2025-01-01T00:00:00.000")]
    [InlineData("9999-12-31", true, "9999-12-31T23:59:59.999")]
    public void TryParse_Formats_GiveLocalTime(string text, bool upper, string expected)
    {
        LocalDateBound b;
        string error;
        Assert.True(upper ? LocalDateBound.TryParseUpper(text, out b, out error) : LocalDateBound.TryParseLower(text, out b, out error), error);
        Assert.Equal(expected, b.Local.ToString("yyyy-MM-ddTHH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeKind.Unspecified, b.Local.Kind);
    }

    [Theory]
    [InlineData("2025/01/01")]
    [InlineData("2025-13-01")]
    [InlineData("2025-01-01T08:30:00")]
    [InlineData("2025-01-01 25:00:00")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void TryParse_Junk_ReportsFormats(string text)
    {
        Assert.False(LocalDateBound.TryParseLower(text, out _, out string error));
        Assert.Contains("expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DD_HH:MM:SS", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToInstant_NormalTime_UsesZoneOffset()
    {
        Assert.True(LocalDateBound.TryParseLower("2025-01-15 12:00:00", out LocalDateBound b, out _));
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 11, 0, 0, TimeSpan.Zero), b.ToInstant(Cet).ToUniversalTime());
        Assert.True(LocalDateBound.TryParseLower("2025-07-15 12:00:00", out b, out _));
        Assert.Equal(new DateTimeOffset(2025, 7, 15, 10, 0, 0, TimeSpan.Zero), b.ToInstant(Cet).ToUniversalTime());
    }

    [Fact]
    public void ToInstant_NonexistentTime_MovesForwardByTheGap()
    {
        // 2025-03-30 02:30 does not exist (02:00 -> 03:00); it becomes 03:30 CEST = 01:30 UTC.
        Assert.True(LocalDateBound.TryParseLower("2025-03-30 02:30:00", out LocalDateBound b, out _));
        Assert.Equal(new DateTimeOffset(2025, 3, 30, 1, 30, 0, TimeSpan.Zero), b.ToInstant(Cet).ToUniversalTime());
    }

    [Fact]
    public void ToInstant_AmbiguousTime_IsPermissive()
    {
        // 2025-10-26 02:30 happens twice: 00:30 UTC (CEST) and 01:30 UTC (CET).
        Assert.True(LocalDateBound.TryParseLower("2025-10-26 02:30:00", out LocalDateBound lower, out _));
        Assert.True(LocalDateBound.TryParseUpper("2025-10-26 02:30:00", out LocalDateBound upper, out _));
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 0, 30, 0, TimeSpan.Zero), lower.ToInstant(Cet).ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 1, 30, 0, TimeSpan.Zero), upper.ToInstant(Cet).ToUniversalTime());
    }
}
