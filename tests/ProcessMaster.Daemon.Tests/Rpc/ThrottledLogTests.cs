using ProcessMaster.Daemon.Rpc;

namespace ProcessMaster.Daemon.Tests.Rpc;

public class ThrottledLogTests
{
    [Fact]
    public async Task Flood_BurstIsWritten_RestCounted_CountRidesOnTheNextWrittenMessage()
    {
        var written = new List<string>();
        var log = new ThrottledLog(written.Add);
        for (int i = 0; i < 1000; i++) log.Write($"refused {i}");
        Assert.Equal(ThrottledLog.Burst, written.Count);
        Assert.Equal("refused 0", written[0]);

        // Once a token has come back, the next message says how many were dropped before it.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (written.Count == ThrottledLog.Burst)
        {
            Assert.True(DateTime.UtcNow < deadline, "no message was written again after the flood");
            await Task.Delay(50, TestContext.Current.CancellationToken);
            log.Write("later");
        }
        Assert.Matches(@"^later \((\d+) similar rpc messages were not logged before this one: too many at once\)$", written[^1]);
        int suppressed = int.Parse(System.Text.RegularExpressions.Regex.Match(written[^1], @"\((\d+) ").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(suppressed >= 1000 - ThrottledLog.Burst, $"{suppressed} counted");
    }
}
