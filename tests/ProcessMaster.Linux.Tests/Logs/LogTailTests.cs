using System.Runtime.Versioning;
using System.Text;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Logs;

namespace ProcessMaster.Linux.Tests.Logs;

[SupportedOSPlatform("linux")]
public class LogTailTests
{
    [Theory]
    [InlineData(10, 991)]
    [InlineData(1, 1000)]
    [InlineData(5000, 1)]
    public void Read_LastNLines(int count, int firstExpected)
    {
        using var scratch = new LogScratch();
        File.WriteAllText(Path.Combine(scratch.Work, "out.log"), string.Concat(Enumerable.Range(1, 1000).Select(i => $"{i}\n")));
        using var dir = ConfinedDirectory.Open(scratch.Work);
        LogTailResult tail = LogTail.Read(dir, "out.log", count);
        Assert.Equal(Enumerable.Range(firstExpected, 1001 - firstExpected).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), tail.Lines);
        Assert.False(tail.Truncated);
    }

    [Fact]
    public void Read_LastLineWithoutNewline_CountsAsLine()
    {
        using var scratch = new LogScratch();
        File.WriteAllText(Path.Combine(scratch.Work, "out.log"), "a\nb\nc");
        using var dir = ConfinedDirectory.Open(scratch.Work);
        Assert.Equal(["b", "c"], LogTail.Read(dir, "out.log", 2).Lines);
    }

    [Fact]
    public void Read_LargeFile_ReadsOnlyTheEndAcrossBlocks()
    {
        using var scratch = new LogScratch();
        var text = new StringBuilder();
        for (int i = 0; i < 200_000; i++) text.Append(i).Append(" some padding text to make lines longer\n");
        File.WriteAllText(Path.Combine(scratch.Work, "big.log"), text.ToString());
        using var dir = ConfinedDirectory.Open(scratch.Work);
        LogTailResult tail = LogTail.Read(dir, "big.log", 3000);
        Assert.Equal(3000, tail.Lines.Count);
        Assert.Equal("197000 some padding text to make lines longer", tail.Lines[0]);
        Assert.Equal("199999 some padding text to make lines longer", tail.Lines[^1]);
    }

    [Fact]
    public void Read_ByteCapReached_DropsPartialOldestLine()
    {
        using var scratch = new LogScratch();
        File.WriteAllText(Path.Combine(scratch.Work, "out.log"), "aaaaaaaaaa\nbbbbbbbbbb\ncccccccccc\n");
        using var dir = ConfinedDirectory.Open(scratch.Work);
        LogTailResult tail = LogTail.Read(dir, "out.log", 3, maxBytes: 15);
        Assert.True(tail.Truncated);
        Assert.Equal(["cccccccccc"], tail.Lines);
    }

    [Fact]
    public void Read_SymlinkOrFifo_RefusedWithoutBlocking()
    {
        using var scratch = new LogScratch();
        File.WriteAllText(Path.Combine(scratch.Root, "secret"), "SECRET\n");
        File.CreateSymbolicLink(Path.Combine(scratch.Work, "link.log"), Path.Combine(scratch.Root, "secret"));
        LogScratch.Run("mkfifo", Path.Combine(scratch.Work, "fifo.log"));
        using var dir = ConfinedDirectory.Open(scratch.Work);
        Assert.Contains("is a symlink; refusing to follow it", Assert.Throws<UnsafePathException>(() => LogTail.Read(dir, "link.log", 5)).Message, StringComparison.Ordinal);
        Assert.Contains("is not a regular file", Assert.Throws<UnsafePathException>(() => LogTail.Read(dir, "fifo.log", 5)).Message, StringComparison.Ordinal);
    }
}
