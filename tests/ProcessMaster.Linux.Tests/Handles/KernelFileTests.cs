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

    [Fact]
    public void TryReadAt_MissingFile_IsEnoent()
    {
        using SafeFdHandle dir = SafeFdHandle.Open(_dir, Libc.O_RDONLY | Libc.O_DIRECTORY);
        Assert.Equal(Errno.ENOENT, KernelFile.TryReadAt(dir, "missing", out string read));
        Assert.Equal("", read);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
