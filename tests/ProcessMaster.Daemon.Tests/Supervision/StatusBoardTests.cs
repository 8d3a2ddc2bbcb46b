using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Daemon.Supervision.Status;

namespace ProcessMaster.Daemon.Tests.Supervision;

/// <summary>What a plain status (no resources read) says of OOM kills: the count the loop last saw, never hidden.</summary>
public sealed class StatusBoardTests : IDisposable
{
    private readonly LoopFixture _loop = new();

    [Fact]
    public void PlainStatus_AfterAnOomKill_CarriesTheCountTheLoopSaw()
    {
        ServiceSlot eater = _loop.Slot("eater");
        eater.OomKillsSeen = 3;

        ServiceView view = Assert.Single(new StatusBoard(TimeZoneInfo.Utc).Views([eater], _loop.Clock.Now(), resources: false, all: true));

        Assert.Equal(3, view.Usage.OomKills);
        Assert.Null(view.Usage.NrThrottled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public void PlainStatus_NoOomKill_SaysNothingOfIt(long? seen)
    {
        ServiceSlot web = _loop.Slot("web");
        web.OomKillsSeen = seen;

        ServiceView view = Assert.Single(new StatusBoard(TimeZoneInfo.Utc).Views([web], _loop.Clock.Now(), resources: false, all: true));

        Assert.Null(view.Usage.OomKills);
    }

    public void Dispose() => _loop.Dispose();
}
