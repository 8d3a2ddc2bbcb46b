using System.Runtime.Versioning;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Logs;

namespace ProcessMaster.Linux.Tests.Logs;

[SupportedOSPlatform("linux")]
public class LogSymlinkTests
{
    private const string Payload = "i=0; while [ $i -lt 2000 ]; do echo '* * * * * root touch /tmp/PWNED'; i=$((i+1)); done";

    [Fact]
    public void SymlinkAtLogFile_TargetUnchanged_ServiceNotBlocked_EventSaysWhy()
    {
        using var scratch = new LogScratch();
        string victim = Victim(scratch);
        Directory.CreateDirectory(Path.Combine(scratch.Work, "logs"));
        File.CreateSymbolicLink(Path.Combine(scratch.Work, "logs/stdout.log"), victim);
        using LogCapture capture = scratch.Capture(scratch.Fifo(), scratch.Options(LogRotationSettings.BySize(1000, 2, compress: false)));
        var writer = scratch.Writer(Payload);
        Assert.True(writer.WaitForExit(10_000), "the service blocked on a refused log");
        LogScratch.WaitFor(() => capture.BytesDiscarded == 2000 * 32, "the output to be drained and discarded");
        Assert.Equal("ORIGINAL\n", File.ReadAllText(victim));
        LogCaptureEvent refused = Assert.Single(scratch.EventsOf(LogCaptureEventKind.Refused));
        Assert.Contains("logs/stdout.log: is a symlink; refusing to follow it", refused.Message, StringComparison.Ordinal);
        Assert.Contains("discarded", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, capture.BytesWritten);
    }

    [Fact]
    public void SymlinkAtLogDirectory_TargetDirectoryUntouched_EventSaysWhy()
    {
        using var scratch = new LogScratch();
        string victimDir = Path.Combine(scratch.Root, "victimdir");
        Directory.CreateDirectory(victimDir);
        File.WriteAllText(Path.Combine(victimDir, "stdout.log"), "ORIGINAL\n");
        File.CreateSymbolicLink(Path.Combine(scratch.Work, "logs"), victimDir);
        using LogCapture capture = scratch.Capture(scratch.Fifo(), scratch.Options());
        var writer = scratch.Writer(Payload);
        Assert.True(writer.WaitForExit(10_000));
        LogScratch.WaitFor(() => capture.BytesDiscarded == 2000 * 32, "the output to be drained and discarded");
        Assert.Equal(["stdout.log"], Directory.GetFileSystemEntries(victimDir).Select(Path.GetFileName));
        Assert.Equal("ORIGINAL\n", File.ReadAllText(Path.Combine(victimDir, "stdout.log")));
        Assert.Contains("/logs: is a symlink; refusing to follow it", Assert.Single(scratch.EventsOf(LogCaptureEventKind.Refused)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SymlinkPlantedWhileWriting_RotationNeverWritesThroughIt()
    {
        using var scratch = new LogScratch();
        string victim = Victim(scratch);
        using LogCapture capture = scratch.Capture(scratch.Fifo(), scratch.Options(LogRotationSettings.BySize(1000, 2, compress: false)));
        var first = scratch.Writer("echo hello");
        Assert.True(first.WaitForExit(10_000));
        LogScratch.WaitFor(() => capture.BytesWritten == 6, "the first line");
        string log = Path.Combine(scratch.Work, "logs/stdout.log");
        File.Delete(log);
        File.CreateSymbolicLink(log, victim);           // what a service running as nobody could do
        var second = scratch.Writer(Payload);
        Assert.True(second.WaitForExit(10_000));
        LogScratch.WaitFor(() => capture.BytesWritten + capture.BytesDiscarded == 6 + 2000 * 32, "all output handled");
        Assert.Equal("ORIGINAL\n", File.ReadAllText(victim));
        Assert.Equal(LinkTarget(log), victim);
        Assert.Contains("was replaced while the daemon wrote to it (now symlink)", Assert.Single(scratch.EventsOf(LogCaptureEventKind.Replaced)).Message, StringComparison.Ordinal);
        Assert.Contains("is a symlink; refusing to follow it", Assert.Single(scratch.EventsOf(LogCaptureEventKind.Refused)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HardLinkAtLogFile_Refused()
    {
        using var scratch = new LogScratch();
        string victim = Victim(scratch);
        Directory.CreateDirectory(Path.Combine(scratch.Work, "logs"));
        LogScratch.Run("ln", victim, Path.Combine(scratch.Work, "logs/stdout.log"));
        using LogCapture capture = scratch.Capture(scratch.Fifo(), scratch.Options());
        var writer = scratch.Writer("echo x");
        Assert.True(writer.WaitForExit(10_000));
        LogScratch.WaitFor(() => capture.BytesDiscarded == 2, "the output to be discarded");
        Assert.Equal("ORIGINAL\n", File.ReadAllText(victim));
        Assert.Contains("has 2 hard links", Assert.Single(scratch.EventsOf(LogCaptureEventKind.Refused)).Message, StringComparison.Ordinal);
    }

    private static string Victim(LogScratch scratch)
    {
        string victim = Path.Combine(scratch.Root, "victim");
        File.WriteAllText(victim, "ORIGINAL\n");
        return victim;
    }

    private static string? LinkTarget(string path) => new FileInfo(path).LinkTarget;
}
