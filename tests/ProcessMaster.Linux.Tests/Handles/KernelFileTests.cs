using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Tests.Handles;

/// <summary>Whole-file reads of kernel and ordinary files through the pooled read buffer (it grows past 4 KiB).</summary>
public sealed class KernelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pm-kf-").FullName;

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(70_000)]
    public void TryReadAt_ReadsTheWholeFile_AnySize(int size)
    {
        string text = string.Concat(Enumerable.Range(0, size).Select(i => (char)('a' + i % 26)));
        File.WriteAllText(Path.Combine(_dir, "f"), text);
        using SafeFdHandle dir = SafeFdHandle.Open(_dir, Libc.O_RDONLY | Libc.O_DIRECTORY);

        Assert.Equal(Errno.None, KernelFile.TryReadAt(dir, "f", out string read));
        Assert.Equal(text, read);
        // Again: the pooled buffer handed back holds nothing of the first read.
        File.WriteAllText(Path.Combine(_dir, "f"), "short");
        Assert.Equal(Errno.None, KernelFile.TryReadAt(dir, "f", out read));
        Assert.Equal("short", read);
    }

    /// <summary>
    /// A seq_file longer than one kernel page (this process's <c>/proc/self/maps</c>, a seq_file like every cgroupfs
    /// file): the short-read end rule still reads all of it, the same text as reading until EOF.
    /// </summary>
    [Fact]
    public void TryReadAt_SeqFileOverSeveralPages_ReadsItAll()
    {
        using SafeFdHandle dir = SafeFdHandle.Open("/proc/self", Libc.O_RDONLY | Libc.O_DIRECTORY);
        Assert.Equal(Errno.None, KernelFile.TryReadAt(dir, "maps", out string bySeqRule, seqFile: true));
        Assert.Equal(Errno.None, KernelFile.TryReadAt(dir, "maps", out string untilEof));
        Assert.True(bySeqRule.Length > 3 * 4096, $"maps is only {bySeqRule.Length} bytes; the test needs several pages");
        // The maps may change between the reads (the GC maps memory): compare the stable head, and that both end whole.
        Assert.Equal(untilEof.Split('\n')[0], bySeqRule.Split('\n')[0]);
        Assert.EndsWith("\n", bySeqRule, StringComparison.Ordinal);
        Assert.Contains("[stack]", bySeqRule, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadAt_MissingFile_IsEnoent()
    {
        using SafeFdHandle dir = SafeFdHandle.Open(_dir, Libc.O_RDONLY | Libc.O_DIRECTORY);
        Assert.Equal(Errno.ENOENT, KernelFile.TryReadAt(dir, "missing", out string read));
        Assert.Equal("", read);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
