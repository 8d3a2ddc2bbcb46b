using ProcessMaster.Core.Logs;

namespace ProcessMaster.Core.Tests.Logs;

public class TimeRotationTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Havana = TimeZoneInfo.FindSystemTimeZoneById("America/Havana");
    private static readonly TimeZoneInfo LordHowe = TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe");

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(RotationFrequency.Minutely, "2024-06-05T14:37:42", "2024-06-05T14:37:00")]
    [InlineData(RotationFrequency.Hourly, "2024-06-05T14:37:42", "2024-06-05T14:00:00")]
    [InlineData(RotationFrequency.Daily, "2024-06-05T03:37:42", "2024-06-04T04:00:00")]   // 23:37 EDT on the 4th
    [InlineData(RotationFrequency.Weekly, "2024-06-05T14:37:42", "2024-06-03T04:00:00")]  // Monday 3 June 00:00 EDT
    [InlineData(RotationFrequency.Monthly, "2024-06-05T14:37:42", "2024-06-01T04:00:00")]
    [InlineData(RotationFrequency.Weekly, "2024-06-09T23:00:00", "2024-06-03T04:00:00")]  // Sunday 19:00 EDT: still that ISO week
    [InlineData(RotationFrequency.Weekly, "2024-06-10T04:00:00", "2024-06-10T04:00:00")]  // Monday 00:00 EDT exactly
    public void BucketStart_OrdinaryDay_IsLocalBoundary(RotationFrequency frequency, string nowUtc, string expectedUtc)
    {
        Assert.Equal(Utc(expectedUtc), TimeRotation.BucketStart(Utc(nowUtc), frequency, NewYork));
    }

    [Fact]
    public void BucketStart_None_IsNull() =>
        Assert.Null(TimeRotation.BucketStart(Utc("2024-06-05T14:37:42"), RotationFrequency.None, NewYork));

    [Fact]
    public void NextBoundary_DailyOnSpringForwardDay_DayIs23Hours()
    {
        // 10 March 2024 begins 00:00 EST (05:00Z); 11 March begins 00:00 EDT (04:00Z): 23 hours later.
        DateTimeOffset now = Utc("2024-03-10T12:00:00");
        Assert.Equal(Utc("2024-03-10T05:00:00"), TimeRotation.BucketStart(now, RotationFrequency.Daily, NewYork));
        Assert.Equal(Utc("2024-03-11T04:00:00"), TimeRotation.NextBoundary(now, RotationFrequency.Daily, NewYork));
    }

    [Fact]
    public void NextBoundary_DailyOnFallBackDay_DayIs25Hours()
    {
        DateTimeOffset now = Utc("2024-11-03T12:00:00");
        Assert.Equal(Utc("2024-11-03T04:00:00"), TimeRotation.BucketStart(now, RotationFrequency.Daily, NewYork));
        Assert.Equal(Utc("2024-11-04T05:00:00"), TimeRotation.NextBoundary(now, RotationFrequency.Daily, NewYork));
    }

    [Fact]
    public void Hourly_RepeatedHourAtFallBack_IsASeparateBucket()
    {
        // 01:30 EDT (05:30Z) and 01:30 EST (06:30Z) have the same wall clock but are different hours.
        DateTimeOffset first = Utc("2024-11-03T05:30:00"), second = Utc("2024-11-03T06:30:00");
        Assert.Equal(Utc("2024-11-03T05:00:00"), TimeRotation.BucketStart(first, RotationFrequency.Hourly, NewYork));
        Assert.Equal(Utc("2024-11-03T06:00:00"), TimeRotation.NextBoundary(first, RotationFrequency.Hourly, NewYork));
        Assert.Equal(Utc("2024-11-03T06:00:00"), TimeRotation.BucketStart(second, RotationFrequency.Hourly, NewYork));
        Assert.True(TimeRotation.IsDue(Utc("2024-11-03T05:00:00"), second, RotationFrequency.Hourly, NewYork));
    }

    [Fact]
    public void Hourly_SkippedHourAtSpringForward_NextBucketIsThreeOClock()
    {
        DateTimeOffset now = Utc("2024-03-10T06:59:00"); // 01:59 EST
        Assert.Equal(Utc("2024-03-10T07:00:00"), TimeRotation.NextBoundary(now, RotationFrequency.Hourly, NewYork)); // 03:00 EDT
        Assert.Equal(Utc("2024-03-10T07:00:00"), TimeRotation.BucketStart(Utc("2024-03-10T07:20:00"), RotationFrequency.Hourly, NewYork));
    }

    [Fact]
    public void Daily_MidnightSkipped_DayBeginsAtTransition()
    {
        // Havana, 10 March 2024: 00:00 CST jumps to 01:00 CDT at 05:00Z; the day has no midnight.
        DateTimeOffset now = Utc("2024-03-10T15:00:00");
        Assert.Equal(Utc("2024-03-10T05:00:00"), TimeRotation.BucketStart(now, RotationFrequency.Daily, Havana));
        Assert.Equal(Utc("2024-03-10T05:00:00"), TimeRotation.NextBoundary(Utc("2024-03-10T04:59:59"), RotationFrequency.Daily, Havana));
    }

    [Fact]
    public void Daily_MidnightRepeated_DayBeginsAtFirstMidnightAndNeverRotatesBack()
    {
        // Havana, 3 November 2024: 01:00 CDT falls back to 00:00 CST at 05:00Z; midnight happens twice.
        DateTimeOffset dayStart = Utc("2024-11-03T04:00:00");
        Assert.Equal(dayStart, TimeRotation.NextBoundary(Utc("2024-11-03T03:30:00"), RotationFrequency.Daily, Havana));
        Assert.Equal(dayStart, TimeRotation.BucketStart(Utc("2024-11-03T05:30:00"), RotationFrequency.Daily, Havana));
        Assert.False(TimeRotation.IsDue(dayStart, Utc("2024-11-03T05:30:00"), RotationFrequency.Daily, Havana));
    }

    [Fact]
    public void Minutely_HalfHourDstShift_BucketBeginsAtTransition()
    {
        // Lord Howe, 6 October 2024: 02:00 +10:30 jumps to 02:30 +11 at 15:30Z on the 5th.
        DateTimeOffset before = Utc("2024-10-05T15:29:30");
        Assert.Equal(Utc("2024-10-05T15:30:00"), TimeRotation.NextBoundary(before, RotationFrequency.Minutely, LordHowe));
        Assert.Equal(Utc("2024-10-05T15:30:00"), TimeRotation.BucketStart(Utc("2024-10-05T15:30:10"), RotationFrequency.Minutely, LordHowe));
        Assert.Equal(Utc("2024-10-05T14:30:00"), TimeRotation.BucketStart(Utc("2024-10-05T15:29:59"), RotationFrequency.Hourly, LordHowe)); // 01:00 +10:30
    }

    [Fact]
    public void IsDue_ClockStepsBackwards_DoesNotRotate() =>
        Assert.False(TimeRotation.IsDue(Utc("2024-06-05T14:00:00"), Utc("2024-06-05T13:59:00"), RotationFrequency.Hourly, NewYork));

    [Fact]
    public void IsDue_SameBucket_False_NextBucket_True()
    {
        DateTimeOffset start = Utc("2024-06-05T14:00:00");
        Assert.False(TimeRotation.IsDue(start, Utc("2024-06-05T14:59:59"), RotationFrequency.Hourly, NewYork));
        Assert.True(TimeRotation.IsDue(start, Utc("2024-06-05T15:00:00"), RotationFrequency.Hourly, NewYork));
        Assert.False(TimeRotation.IsDue(start, Utc("2030-01-01T00:00:00"), RotationFrequency.None, NewYork));
    }

    [Fact]
    public void RotatedName_UsesLocalBucketStart_AndAttemptSuffix()
    {
        DateTimeOffset start = Utc("2024-11-03T06:00:00"); // 01:00 EST
        Assert.Equal("out.log.2024-11-03_01-00", TimeRotation.RotatedName("out.log", start, NewYork));
        Assert.Equal("out.log.2024-11-03_01-00-2", TimeRotation.RotatedName("out.log", start, NewYork, attempt: 2));
    }

    [Theory]
    [InlineData("out.log.2024-11-03_01-00", true)]
    [InlineData("out.log.2024-11-03_01-00.gz", true)]
    [InlineData("out.log.2024-11-03_01-00-2.gz", true)]
    [InlineData("out.log.2024-11-03_01-00-", false)]
    [InlineData("out.log.err", false)]
    [InlineData("out.log", false)]
    [InlineData("out.log.1", false)]
    [InlineData("other.log.2024-11-03_01-00", false)]
    public void IsRotatedName_OnlyOwnStampedFiles(string name, bool expected) =>
        Assert.Equal(expected, TimeRotation.IsRotatedName(name, "out.log"));

    [Fact]
    public void Expired_OlderThanMaxAge_OnlyRotatedFiles()
    {
        DateTimeOffset now = Utc("2024-06-30T00:00:00");
        LogFileEntry[] entries =
        [
            new("out.log", now.AddDays(-40)),
            new("out.log.2024-05-01_00-00.gz", now.AddDays(-40)),
            new("out.log.2024-06-20_00-00.gz", now.AddDays(-9)),
            new("out.log.err", now.AddDays(-40)),
        ];
        Assert.Equal(["out.log.2024-05-01_00-00.gz"], TimeRotation.Expired(entries, "out.log", now, TimeSpan.FromDays(30)));
        Assert.Empty(TimeRotation.Expired(entries, "out.log", now, TimeSpan.Zero));
    }
}
