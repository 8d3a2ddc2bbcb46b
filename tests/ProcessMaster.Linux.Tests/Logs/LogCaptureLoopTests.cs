using System.Runtime.Versioning;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Logs;

namespace ProcessMaster.Linux.Tests.Logs;

/// <summary>One loop thread drives every capture; rotation runs on a bounded worker pool.</summary>
[SupportedOSPlatform("linux")]
public class LogCaptureLoopTests
{
    [Fact]
    public void Loop_FiftyStreamsWithRotation_EveryLineOnceInEachOwnFiles_WorkersBounded()
    {
        using var scratch = new LogScratch();
        const int streams = 50;
        var captures = new List<LogCapture>();
        var writers = new List<System.Diagnostics.Process>();
        try
        {
            for (int i = 0; i < streams; i++)
            {
                string fifo = $"s{i}.stdout";
                captures.Add(scratch.Capture(scratch.Fifo(fifo),
                    scratch.Options(LogRotationSettings.BySize(20_000, 5, compress: false), $"logs/s{i}.log")));
                writers.Add(scratch.Writer("exec seq 1 10000", fifo));   // 48,894 bytes: two rotations each
            }
            Assert.Equal(streams, scratch.Loop.Count);
            foreach (System.Diagnostics.Process writer in writers) Assert.True(writer.WaitForExit(60_000), "a writer did not finish");
            LogScratch.WaitFor(() => captures.All(c => c.BytesWritten == NumberedLines.SeqBytes(1, 10000)), "every stream captured", 60_000);
            string logs = Path.Combine(scratch.Work, "logs");
            for (int i = 0; i < streams; i++)
            {
                Assert.Equal(2, captures[i].Rotations);
                string all = File.ReadAllText(Path.Combine(logs, $"s{i}.log.2")) + File.ReadAllText(Path.Combine(logs, $"s{i}.log.1"))
                    + File.ReadAllText(Path.Combine(logs, $"s{i}.log"));
                NumberedLines.AssertSequence(all, 1, 10000);
            }
            Assert.InRange(scratch.Loop.Workers.Threads, 1, LogWorkerPool.DefaultThreads);
        }
        finally
        {
            foreach (LogCapture capture in captures) capture.Dispose();
        }
        Assert.Equal(0, scratch.Loop.Count);
    }

    [Fact]
    public async Task Capture_DisposedOnAnotherThreadWhileWriting_LeavesTheRestInThePipe()
    {
        using var scratch = new LogScratch();
        LogFifo fifo = scratch.Fifo();
        var writer = scratch.Writer("exec seq 1 400000");       // more than the pipe holds
        LogCapture first = scratch.Capture(fifo, scratch.Options());
        LogScratch.WaitFor(() => first.BytesWritten > 100_000, "the first capture to move 100 kB");
        await Task.Run(first.Dispose, TestContext.Current.CancellationToken);
        using LogCapture second = scratch.Capture(fifo, scratch.Options());
        Assert.True(writer.WaitForExit(60_000), "writer did not finish");
        LogScratch.WaitFor(() => first.BytesWritten + second.BytesWritten == NumberedLines.SeqBytes(1, 400000), "every byte in the log");
        NumberedLines.AssertSequence(File.ReadAllText(Path.Combine(scratch.Work, "logs/stdout.log")), 1, 400000);
    }
}
