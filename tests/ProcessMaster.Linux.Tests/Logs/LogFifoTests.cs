using System.Runtime.Versioning;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Logs;

namespace ProcessMaster.Linux.Tests.Logs;

[SupportedOSPlatform("linux")]
public class LogFifoTests
{
    [Fact]
    public void OpenOrCreate_New_IsFifo0600WithRaisedPipe_AndReusable()
    {
        using var scratch = new LogScratch();
        using (LogFifo fifo = scratch.Fifo("a"))
            Assert.Equal(1 << 20, fifo.PipeBytes);
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(scratch.FifoPath("a")));
        using LogFifo again = scratch.Fifo("a");
        Assert.Equal(scratch.FifoPath("a"), again.Path);
    }

    [Fact]
    public void OpenOrCreate_SymlinkOrRegularFileInPlace_Refused()
    {
        using var scratch = new LogScratch();
        File.WriteAllText(Path.Combine(scratch.Root, "target"), "x");
        File.CreateSymbolicLink(scratch.FifoPath("link"), Path.Combine(scratch.Root, "target"));
        File.WriteAllText(scratch.FifoPath("plain"), "x");
        Assert.Contains("is a symlink; refusing to use it as a log FIFO", Assert.Throws<UnsafePathException>(() => scratch.Fifo("link")).Message, StringComparison.Ordinal);
        Assert.Contains("not a FIFO", Assert.Throws<UnsafePathException>(() => scratch.Fifo("plain")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenRuntimeDirectory_OpenToOthers_RefusedWithFix()
    {
        using var scratch = new LogScratch();
        string open = Path.Combine(scratch.Root, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF);
        var ex = Assert.Throws<UnsafePathException>(() => LogFifo.OpenRuntimeDirectory(open));
        Assert.Contains("mode 777; it must be owned by uid 0 with mode 0700 (chown 0", ex.Message, StringComparison.Ordinal);
    }
}
