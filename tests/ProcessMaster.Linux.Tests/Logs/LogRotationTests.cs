using System.Runtime.Versioning;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Logs;

namespace ProcessMaster.Linux.Tests.Logs;

[SupportedOSPlatform("linux")]
public class LogRotationTests
{
    [Fact]
    public void SizeRotation_1MB3BackupsGzip_EveryLineOnceAcrossValidGzipFiles()
    {
        using var scratch = new LogScratch();
        // seq 1 500000 is 3,388,888 bytes: three rotations at 1,000,000 bytes, so .1 … .3 exist and nothing is pruned.
        var rotation = LogRotationSettings.BySize(1_000_000, 3, compress: true);
        using LogCapture capture = scratch.Capture(scratch.Fifo(), scratch.Options(rotation));
        var writer = scratch.Writer("exec seq 1 500000");
        Assert.True(writer.WaitForExit(30_000));
        LogScratch.WaitFor(() => capture.BytesWritten == NumberedLines.SeqBytes(1, 500000), "every byte captured");
        LogScratch.WaitFor(() => scratch.Loop.Workers.WaitIdle(TimeSpan.Zero) && !File.Exists(Path.Combine(scratch.Work, "logs/stdout.log.1")),
            "compression to finish", describe: () => $"pending jobs {scratch.Loop.Workers.Pending}, files {string.Join(' ', Directory.GetFileSystemEntries(Path.Combine(scratch.Work, "logs")).Select(Path.GetFileName))}, events: {string.Join(" | ", scratch.Events.Select(e => e.Message))}");

        string logs = Path.Combine(scratch.Work, "logs");
        Assert.Equal(["stdout.log", "stdout.log.1.gz", "stdout.log.2.gz", "stdout.log.3.gz"],
            Directory.GetFileSystemEntries(logs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(3, capture.Rotations);
        string all = "";
        foreach (string name in new[] { "stdout.log.3.gz", "stdout.log.2.gz", "stdout.log.1.gz" })
        {
            string text = NumberedLines.ReadGzip(Path.Combine(logs, name));
            Assert.True(text.EndsWith('\n'), $"{name} ends mid-line");
            Assert.InRange(text.Length, 1_000_000, 1_000_007);   // rotated at the first line end at or after the threshold
            Assert.Equal((UnixFileMode)0x1A0, File.GetUnixFileMode(Path.Combine(logs, name)));
            all += text;
        }
        all += File.ReadAllText(Path.Combine(logs, "stdout.log"));
        NumberedLines.AssertSequence(all, 1, 500000);
    }

    [Fact]
    public void SizeRotation_MoreRotationsThanBackups_OldestPrunedAndRestContiguous()
    {
        using var scratch = new LogScratch();
        var rotation = LogRotationSettings.BySize(100_000, 2, compress: false);
        using LogCapture capture = scratch.Capture(scratch.Fifo(), scratch.Options(rotation));
        var writer = scratch.Writer("exec seq 1 100000");
        Assert.True(writer.WaitForExit(30_000));
        LogScratch.WaitFor(() => capture.BytesWritten == NumberedLines.SeqBytes(1, 100000), "every byte captured");
        string logs = Path.Combine(scratch.Work, "logs");
        Assert.Equal(["stdout.log", "stdout.log.1", "stdout.log.2"],
            Directory.GetFileSystemEntries(logs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string kept = File.ReadAllText(Path.Combine(logs, "stdout.log.2")) + File.ReadAllText(Path.Combine(logs, "stdout.log.1"))
            + File.ReadAllText(Path.Combine(logs, "stdout.log"));
        int first = int.Parse(kept.AsSpan(0, kept.IndexOf('\n')), System.Globalization.CultureInfo.InvariantCulture);
        NumberedLines.AssertSequence(kept, first, 100000);
    }

    [Fact]
    public void SizeRotation_DueMidLine_WaitsForTheLineEnd()
    {
        using var scratch = new LogScratch();
        var rotation = LogRotationSettings.BySize(10, 5, compress: false);
        using LogCapture capture = scratch.Capture(scratch.Fifo(), scratch.Options(rotation));
        // 15 bytes without a newline, a pause, then the end of the line and another line.
        var writer = scratch.Writer("printf 'abcdefghijklmno'; sleep 0.3; printf 'pq\\nnext\\n'");
        Assert.True(writer.WaitForExit(10_000));
        LogScratch.WaitFor(() => capture.BytesWritten == 23, "every byte captured");
        string logs = Path.Combine(scratch.Work, "logs");
        Assert.Equal("abcdefghijklmnopq\n", File.ReadAllText(Path.Combine(logs, "stdout.log.1")));
        Assert.Equal("next\n", File.ReadAllText(Path.Combine(logs, "stdout.log")));
    }

    [Fact]
    public void TimeRotation_Minutely_StampedFileHoldsPreviousMinute()
    {
        using var scratch = new LogScratch();
        var clock = new ManualClock(new DateTimeOffset(2024, 6, 5, 14, 37, 10, TimeSpan.Zero));
        var rotation = LogRotationSettings.ByTime(RotationFrequency.Minutely, TimeSpan.FromDays(1), compress: false);
        LogCaptureOptions options = scratch.Options(rotation) with { Zone = TimeZoneInfo.Utc, Time = clock };
        using LogCapture capture = scratch.Capture(scratch.Fifo(), options);
        var w1 = scratch.Writer("echo first");
        Assert.True(w1.WaitForExit(10_000));
        LogScratch.WaitFor(() => capture.BytesWritten == 6, "the first line");
        clock.Advance(TimeSpan.FromMinutes(1));
        var w2 = scratch.Writer("echo second");
        Assert.True(w2.WaitForExit(10_000));
        LogScratch.WaitFor(() => capture.BytesWritten == 13, "the second line");
        string logs = Path.Combine(scratch.Work, "logs");
        Assert.Equal("first\n", File.ReadAllText(Path.Combine(logs, "stdout.log.2024-06-05_14-37")));
        Assert.Equal("second\n", File.ReadAllText(Path.Combine(logs, "stdout.log")));
    }
}

/// <summary>A wall clock the test moves by hand (timestamps stay real, so retry deadlines still pass).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
}
