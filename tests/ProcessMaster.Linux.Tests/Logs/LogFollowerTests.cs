using System.Diagnostics;
using System.Runtime.Versioning;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Logs;

namespace ProcessMaster.Linux.Tests.Logs;

[SupportedOSPlatform("linux")]
public class LogFollowerTests
{
    [Fact]
    public async Task Follower_LineWrittenThroughCapture_ArrivesInOrder_AndAcrossRotation()
    {
        using var scratch = new LogScratch();
        LogFifo fifo = scratch.Fifo();
        using LogCapture capture = scratch.Capture(fifo, scratch.Options(LogRotationSettings.BySize(200, 3, compress: false)));
        using var fifoWriter = new FileStream(scratch.FifoPath(), FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0);
        fifoWriter.Write("before\n"u8);
        LogScratch.WaitFor(() => capture.BytesWritten == 7, "the line written before following");
        using var dir = ConfinedDirectory.Open(Path.Combine(scratch.Work, "logs"));
        using var follower = LogFollower.Start(dir, "stdout.log");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var latencies = new List<double>();
        for (int i = 0; i < 60; i++)                    // 60 × 12 bytes: rotates about three times at 200 bytes
        {
            var clock = Stopwatch.StartNew();
            fifoWriter.Write(System.Text.Encoding.ASCII.GetBytes($"line {i,5:D5}\n"));
            string line = await follower.Lines.ReadAsync(cts.Token);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal($"line {i:D5}", line);
        }
        Assert.True(capture.Rotations >= 3, $"only {capture.Rotations} rotations");
        TestContext.Current.SendDiagnosticMessage($"follower latency ms: median {latencies.Order().ElementAt(30):0.00}, max {latencies.Max():0.00}");
    }

    [Fact]
    public async Task Follower_TruncatedFile_RestartsFromTheBeginning()
    {
        using var scratch = new LogScratch();
        string path = Path.Combine(scratch.Work, "app.log");
        File.WriteAllText(path, "old line 1\nold line 2\n");
        using var dir = ConfinedDirectory.Open(scratch.Work);
        using var follower = LogFollower.Start(dir, "app.log");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        File.WriteAllText(path, "");                    // truncate (O_TRUNC), same inode
        File.AppendAllText(path, "new\n");
        Assert.Equal("new", await follower.Lines.ReadAsync(cts.Token));
    }

    [Fact]
    public async Task Follower_FileCreatedLater_IsPickedUp()
    {
        using var scratch = new LogScratch();
        using var dir = ConfinedDirectory.Open(scratch.Work);
        using var follower = LogFollower.Start(dir, "late.log");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        File.WriteAllText(Path.Combine(scratch.Work, "late.log"), "hello\n");
        Assert.Equal("hello", await follower.Lines.ReadAsync(cts.Token));
    }

    [Fact]
    public async Task Follower_SlowConsumer_DropsWithMarker_NeverBlocksCapture()
    {
        using var scratch = new LogScratch();
        using LogCapture capture = scratch.Capture(scratch.Fifo(), scratch.Options());
        var first = scratch.Writer("echo start");
        Assert.True(first.WaitForExit(10_000));
        LogScratch.WaitFor(() => capture.BytesWritten == 6, "the first line");
        using var dir = ConfinedDirectory.Open(Path.Combine(scratch.Work, "logs"));
        using var follower = LogFollower.Start(dir, "stdout.log", new LogFollowOptions { Capacity = 100 });
        var writer = scratch.Writer("exec seq 1 200000");      // nobody reads the follower meanwhile
        Assert.True(writer.WaitForExit(30_000), "the writer was slowed down by a follower");
        LogScratch.WaitFor(() => capture.BytesWritten == 6 + NumberedLines.SeqBytes(1, 200000), "every byte captured");
        LogScratch.WaitFor(() => follower.DroppedLines > 0, "the follower to drop lines");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<string>();
        while (received.Count < 101) received.Add(await follower.Lines.ReadAsync(cts.Token));
        Assert.Equal("1", received[0]);
        Assert.Equal("100", received[99]);
        Assert.Matches(@"^\[processmaster: \d+ lines dropped: this follower reads slower than the log grows\]$", received[100]);
    }

    [Fact]
    public void FollowSlots_BeyondSessionCap_RefusedWithReason_AndSlotReturned()
    {
        var slots = new LogFollowSlots(maxSessions: 2, maxFiles: 100);
        Assert.True(slots.TryAcquire(1, out IDisposable? a, out _));
        Assert.True(slots.TryAcquire(1, out IDisposable? b, out _));
        Assert.False(slots.TryAcquire(1, out _, out string refusal));
        Assert.StartsWith("too many concurrent log-follow sessions (2 open, the limit)", refusal, StringComparison.Ordinal);
        a!.Dispose();
        a.Dispose();
        Assert.Equal(1, slots.InUse);
        Assert.True(slots.TryAcquire(1, out IDisposable? c, out _));
        b!.Dispose();
        c!.Dispose();
        Assert.Equal(0, slots.InUse);
        Assert.Equal(0, slots.FilesInUse);
    }

    [Fact]
    public void FollowSlots_BeyondFileBudget_RefusedWithReason_NothingTaken_FilesReturnedOnDispose()
    {
        var slots = new LogFollowSlots(maxSessions: 100, maxFiles: 10);
        Assert.True(slots.TryAcquire(6, out IDisposable? six, out _));
        Assert.False(slots.TryAcquire(5, out _, out string refusal));
        Assert.Equal("too many log files followed at once (6 followed now, this session needs 5, the limit is 10); " +
                     "follow one service ('pmctl logs -f NAME') or close another follower, then try again", refusal);
        Assert.Equal(1, slots.InUse);
        Assert.Equal(6, slots.FilesInUse);
        Assert.True(slots.TryAcquire(4, out IDisposable? four, out _));
        six!.Dispose();
        Assert.Equal(4, slots.FilesInUse);
        Assert.True(slots.TryAcquire(5, out IDisposable? five, out _));
        four!.Dispose();
        five!.Dispose();
        Assert.Equal(0, slots.FilesInUse);
    }
}
