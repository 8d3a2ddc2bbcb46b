using System.Runtime.Versioning;
using ProcessMaster.Linux.Logs;

namespace ProcessMaster.Linux.Tests.Logs;

[SupportedOSPlatform("linux")]
public class LogDiskFullTests
{
    [Fact]
    public void DiskFull_WriterKeepsRunning_CaptureReportsEnospc_ResumesWithoutLossWhenFreed()
    {
        using var scratch = new LogScratch();
        string filler = FullDisk(scratch);
        LogFifo fifo = scratch.Fifo(pipeBytes: 64 * 1024);       // small pipe, so the writer fills it while the disk is full
        using LogCapture capture = scratch.Capture(fifo, scratch.Options());
        var writer = scratch.Writer("exec seq 1 30000");          // 168,894 bytes: more than the pipe, less than the disk
        LogScratch.WaitFor(() => scratch.EventsOf(LogCaptureEventKind.DiskFull).Length > 0, "the disk-full event");
        LogCaptureEvent full = scratch.EventsOf(LogCaptureEventKind.DiskFull)[0];
        Assert.Contains("No space left on device (ENOSPC)", full.Message, StringComparison.Ordinal);
        Assert.Contains("nothing is discarded: the service blocks once its 65536-byte pipe is full", full.Message, StringComparison.Ordinal);
        LogScratch.WaitFor(() => LogScratch.StateOf(writer.Id).Wchan.Contains("pipe_write", StringComparison.Ordinal), "the writer to block on the full pipe");
        Assert.False(writer.HasExited, "the writer died while the disk was full");

        File.Delete(filler);
        Assert.True(writer.WaitForExit(20_000), "the writer did not continue after space returned");
        Assert.Equal(0, writer.ExitCode);
        LogScratch.WaitFor(() => capture.BytesWritten == NumberedLines.SeqBytes(1, 30000), "every byte captured");
        Assert.NotEmpty(scratch.EventsOf(LogCaptureEventKind.Resumed));
        Assert.Contains("nothing was lost", scratch.EventsOf(LogCaptureEventKind.Resumed)[0].Message, StringComparison.Ordinal);
        NumberedLines.AssertSequence(File.ReadAllText(Path.Combine(scratch.Work, "logs/stdout.log")), 1, 30000);
    }

    [Fact]
    public void DiskFull_ManyFailedRetries_OneEventPerStreak_ThenSummaries_ThenOneResumed()
    {
        using var scratch = new LogScratch();
        string filler = FullDisk(scratch);
        LogFifo fifo = scratch.Fifo(pipeBytes: 64 * 1024);
        LogCaptureOptions options = scratch.Options() with { RetryInterval = TimeSpan.FromMilliseconds(10), ProblemSummaryInterval = TimeSpan.FromMilliseconds(300) };
        using LogCapture capture = scratch.Capture(fifo, options);
        var writer = scratch.Writer("exec seq 1 30000");

        // Two summaries prove that the capture retried (and failed) many times meanwhile.
        LogScratch.WaitFor(() => scratch.EventsOf(LogCaptureEventKind.StillPaused).Length >= 2, "two still-paused summaries");
        Assert.Single(scratch.EventsOf(LogCaptureEventKind.DiskFull));
        LogCaptureEvent summary = scratch.EventsOf(LogCaptureEventKind.StillPaused)[1];
        Assert.Matches(@"capture still paused after [0-9.]+s \((\d+) retries failed\), nothing is discarded; retrying every ", summary.Message);
        Assert.Empty(scratch.EventsOf(LogCaptureEventKind.Resumed));

        File.Delete(filler);
        Assert.True(writer.WaitForExit(20_000), "the writer did not continue after space returned");
        LogScratch.WaitFor(() => capture.BytesWritten == NumberedLines.SeqBytes(1, 30000), "every byte captured");
        Assert.Single(scratch.EventsOf(LogCaptureEventKind.Resumed));
        Assert.Single(scratch.EventsOf(LogCaptureEventKind.DiskFull));
    }

    /// <summary>Mounts a 256 KiB tmpfs on the work directory and fills it; returns the filler file (delete it to free the space).</summary>
    private static string FullDisk(LogScratch scratch)
    {
        scratch.Mount(scratch.Work, "256k");
        string filler = Path.Combine(scratch.Work, "filler");
        Action fill = () =>
        {
            using var file = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 0);
            var block = new byte[4096];
            while (true) file.Write(block);
        };
        Assert.Throws<IOException>(fill);
        return filler;
    }
}
