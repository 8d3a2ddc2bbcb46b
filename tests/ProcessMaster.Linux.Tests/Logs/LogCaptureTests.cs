using ProcessMaster.Linux.Logs;

using System.Runtime.Versioning;

namespace ProcessMaster.Linux.Tests.Logs;

[SupportedOSPlatform("linux")]
public class LogCaptureTests
{
    private const string PacedWriter = "i=0; while [ $i -lt 20000 ]; do echo $i; i=$((i+1)); [ $((i % 40)) -eq 0 ] && sleep 0.001; done; true";

    [Fact]
    public void Capture_StoppedAbruptlyMidStream_NextCaptureLosesAndDuplicatesNothing()
    {
        using var scratch = new LogScratch();
        LogFifo first = scratch.Fifo();
        var writer = scratch.Writer(PacedWriter);
        LogCapture capture = scratch.Capture(first, scratch.Options());
        LogScratch.WaitFor(() => capture.BytesWritten > 20_000, "the first capture to move 20 kB");
        capture.Dispose();                     // no drain: like SIGKILL, whatever is in the pipe stays there
        first.Dispose();
        Assert.False(writer.HasExited, "the writer finished before the capture was stopped; the test proves nothing");
        Thread.Sleep(200);                     // the service keeps writing while no daemon reads

        using LogCapture second = scratch.Capture(scratch.Fifo(), scratch.Options());
        Assert.True(writer.WaitForExit(120_000), "writer did not finish");
        Assert.Equal(0, writer.ExitCode);
        string log = Path.Combine(scratch.Work, "logs/stdout.log");
        LogScratch.WaitFor(() => File.ReadAllText(log).EndsWith("\n19999\n", StringComparison.Ordinal), "the last line in the log");
        NumberedLines.AssertSequence(File.ReadAllText(log), 0, 19999);
    }

    [Fact]
    public void Capture_ProcessSigkilledTwice_NextProcessResumesWithoutLoss()
    {
        using var scratch = new LogScratch();
        using LogFifo holder = scratch.Fifo();  // creates the FIFO before the writer opens it
        var writer = scratch.Writer(PacedWriter);
        string log = Path.Combine(scratch.Work, "logs/stdout.log");
        for (int round = 0; round < 2; round++)
        {
            var probe = CaptureProbe.Start(scratch, "svc.stdout", "logs/stdout.log");
            long before = File.Exists(log) ? new FileInfo(log).Length : 0;
            LogScratch.WaitFor(() => File.Exists(log) && new FileInfo(log).Length > before + 10_000, "the capture process to write 10 kB");
            probe.Kill();                      // SIGKILL
            probe.WaitForExit();
            Assert.False(writer.HasExited, "the writer finished too early; the test proves nothing");
        }
        CaptureProbe.Start(scratch, "svc.stdout", "logs/stdout.log");
        Assert.True(writer.WaitForExit(120_000), "writer did not finish");
        LogScratch.WaitFor(() => File.ReadAllText(log).EndsWith("\n19999\n", StringComparison.Ordinal), "the last line in the log");
        NumberedLines.AssertSequence(File.ReadAllText(log), 0, 19999);
    }

    [Fact]
    public void Writer_NoReaderAndPipeFull_BlocksAliveThenFinishesWhenCaptureReturns()
    {
        using var scratch = new LogScratch();
        LogFifo fifo = scratch.Fifo();
        Assert.Equal(1 << 20, fifo.PipeBytes);
        var writer = scratch.Writer("exec seq 1 400000");   // ~2.7 MB, more than the 1 MiB pipe holds
        LogScratch.WaitFor(() => LogScratch.StateOf(writer.Id) is ('S', string w) && w.Contains("pipe_write", StringComparison.Ordinal),
            "the writer to block in pipe_write");
        Thread.Sleep(300);
        Assert.False(writer.HasExited);
        (char state, string wchan) = LogScratch.StateOf(writer.Id);
        Assert.Equal('S', state);
        Assert.Contains("pipe_write", wchan, StringComparison.Ordinal);

        using LogCapture capture = scratch.Capture(fifo, scratch.Options());
        Assert.True(writer.WaitForExit(30_000), "writer did not finish after the capture started");
        Assert.Equal(0, writer.ExitCode);
        LogScratch.WaitFor(() => capture.BytesWritten == NumberedLines.SeqBytes(1, 400000), "every byte in the log");
        NumberedLines.AssertSequence(File.ReadAllText(Path.Combine(scratch.Work, "logs/stdout.log")), 1, 400000);
    }

    [Fact]
    public void Capture_ExistingLog_AppendsAfterItsEnd_AndFileIs0640()
    {
        using var scratch = new LogScratch();
        Directory.CreateDirectory(Path.Combine(scratch.Work, "logs"));
        string log = Path.Combine(scratch.Work, "logs/stdout.log");
        File.WriteAllText(log, "earlier\n");
        File.SetUnixFileMode(log, (UnixFileMode)0x1B6); // 0666: tightened by the capture
        using LogCapture capture = scratch.Capture(scratch.Fifo(), scratch.Options());
        var writer = scratch.Writer("echo later");
        Assert.True(writer.WaitForExit(10_000));
        LogScratch.WaitFor(() => File.ReadAllText(log) == "earlier\nlater\n", "the appended line");
        Assert.Equal((UnixFileMode)0x1A0, File.GetUnixFileMode(log));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(scratch.Work, "logs")) & (UnixFileMode)0x1FF);
    }
}
