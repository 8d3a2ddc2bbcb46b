using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Tests.Restart;

public class RestartHistoryTests
{
    private static readonly Moment T0 = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1));

    [Fact]
    public void RecentCrashes_CountsTheLastTenMinutes()
    {
        var history = RestartHistory.Empty;
        for (int minute = 0; minute < 15; minute++) history = history.Record(T0.Add(TimeSpan.FromMinutes(minute)), TimeSpan.FromMinutes(1));
        var now = T0.Add(TimeSpan.FromMinutes(14));
        Assert.Equal(11, history.RecentCrashes(now));               // minutes 4..14
        Assert.Equal(11, history.Crashes.Length);                   // older ones were dropped on Record
        Assert.Equal(2, history.CountWithin(now, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Record_KeepsTheLongerOfWindowAndHorizon_AndIsCapped()
    {
        var history = RestartHistory.Empty.Record(T0, TimeSpan.FromHours(1)).Record(T0.Add(TimeSpan.FromMinutes(30)), TimeSpan.FromHours(1));
        Assert.Equal(2, history.Crashes.Length);

        for (int i = 0; i < RestartHistory.Capacity + 20; i++) history = history.Record(T0.Add(TimeSpan.FromMinutes(31) + TimeSpan.FromMilliseconds(i)), TimeSpan.FromHours(1));
        Assert.Equal(RestartHistory.Capacity, history.Crashes.Length);
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.Equal(RestartHistory.Empty.Record(T0, TimeSpan.Zero), RestartHistory.From([T0]));
        Assert.NotEqual(RestartHistory.Empty, RestartHistory.From([T0]));
    }
}
