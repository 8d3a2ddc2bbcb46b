using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Tests.Time;

public class MomentTests
{
    private static readonly Moment T0 = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(5));

    [Fact]
    public void Add_ShiftsBothClocks()
    {
        var later = T0.Add(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(T0.Wall.AddMilliseconds(1500), later.Wall);
        Assert.Equal(TimeSpan.FromMilliseconds(6500), later.Mono);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), later.Since(T0));
    }

    [Fact]
    public void Since_UsesMonotonicTime_EvenIfTheWallClockStepsBack()
    {
        var stepped = new Moment(T0.Wall.AddHours(-1), T0.Mono + TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), stepped.Since(T0));
    }

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(60_000, "1m")]
    [InlineData(90_000, "1m30s")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(90_061_001, "1d1h1m1.001s")]
    public void DurationText_Format(long millis, string expected) =>
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromMilliseconds(millis)));
}
