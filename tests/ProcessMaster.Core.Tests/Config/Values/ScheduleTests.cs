using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Tests.Config.Values;

public class ScheduleTests
{
    private static readonly DateTime From = new(2026, 11, 26, 10, 7, 13, DateTimeKind.Utc); // a Thursday

    [Theory]
    [InlineData("*/5 * * * *", "2026-11-26T10:10:00")]
    [InlineData("0 3 * * 0", "2026-11-29T03:00:00")]      // Vixie: Sunday = 0
    [InlineData("0 3 * * 7", "2026-11-29T03:00:00")]      // ... or 7
    [InlineData("0 3 * * SUN", "2026-11-29T03:00:00")]
    [InlineData("0 3 * * sun", "2026-11-29T03:00:00")]
    [InlineData("0 9 * * MON-FRI", "2026-11-27T09:00:00")]
    [InlineData("0 0 1 JAN *", "2027-01-01T00:00:00")]
    [InlineData("0,30 * * * *", "2026-11-26T10:30:00")]
    [InlineData("0 8-12/2 * * *", "2026-11-26T12:00:00")]
    [InlineData("*/10 * * * * *", "2026-11-26T10:07:20")]  // 6 fields: leading seconds
    [InlineData("@hourly", "2026-11-26T11:00:00")]
    [InlineData("@daily", "2026-11-27T00:00:00")]
    [InlineData("@midnight", "2026-11-27T00:00:00")]
    [InlineData("@weekly", "2026-11-29T00:00:00")]
    [InlineData("@monthly", "2026-12-01T00:00:00")]
    [InlineData("@yearly", "2027-01-01T00:00:00")]
    [InlineData("@annually", "2027-01-01T00:00:00")]
    [InlineData("0 0 29 2 *", "2028-02-29T00:00:00")]
    public void TryParse_VixieExpressions_FireWhenExpected(string text, string next)
    {
        Assert.True(Schedule.TryParse(text, out Schedule s, out string error), error);
        Assert.Equal(DateTime.Parse(next, System.Globalization.CultureInfo.InvariantCulture), s.Expression.GetNextOccurrence(From));
        Assert.Equal(text, s.ToString());
    }

    [Fact]
    public void TryParse_SixFields_HasSeconds()
    {
        Assert.True(Schedule.TryParse("0 0 * * * *", out Schedule s, out _));
        Assert.True(s.HasSeconds);
        Assert.True(Schedule.TryParse("0 * * * *", out s, out _));
        Assert.False(s.HasSeconds);
    }

    [Theory]
    [InlineData("", "schedule is empty")]
    [InlineData("   ", "schedule is empty")]
    [InlineData("* * * *", "has 4 fields")]
    [InlineData("* * * * * * *", "has 7 fields")]
    [InlineData("0 25 * * *", "field 2 (hour) \"25\": Hours: Value must be a number between 0 and 23")]
    [InlineData("61 * * * *", "field 1 (minute) \"61\"")]
    [InlineData("0 3 * * 8", "field 5 (day-of-week) \"8\"")]
    [InlineData("0 3 32 * *", "field 3 (day-of-month) \"32\"")]
    [InlineData("0 3 * 13 *", "field 4 (month) \"13\"")]
    [InlineData("61 0 25 * * *", "field 1 (second) \"61\"")]
    [InlineData("0 3 * FOO *", "field 4 (month) \"FOO\"")]
    [InlineData("H * * * *", "not supported")]
    [InlineData("@often", "unknown schedule macro")]
    [InlineData("0 0 31 2 *", "never fires")]
    public void TryParse_Invalid_NamesTheField(string text, string expected)
    {
        Assert.False(Schedule.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TwoBadFields_NamesBoth()
    {
        Assert.False(Schedule.TryParse("99 99 * * *", out _, out string error));
        Assert.Contains("field 1 (minute)", error, StringComparison.Ordinal);
        Assert.Contains("field 2 (hour)", error, StringComparison.Ordinal);
    }
}
