using System.Text;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Handles;

namespace ProcessMaster.Linux.Tests.Handles;

/// <summary>The one descriptor type of the Linux layer: positional reads, the hand-over to a FileStream, and the errors it raises.</summary>
public sealed class SafeFdHandleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pm-fd-").FullName;

    [Fact]
    public void ReadAt_AndLength_ReadTheFileAtAnyOffset()
    {
        File.WriteAllText(Path.Combine(_dir, "f"), "hello world");
        using ConfinedDirectory dir = ConfinedDirectory.Open(_dir);
        using SafeFdHandle fd = dir.OpenRegularFileForReading("f");

        byte[] buffer = new byte[5];
        int n = fd.ReadAt(buffer, 6, "f");

        Assert.Equal(11, fd.Length("f"));
        Assert.Equal("world", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(0, fd.ReadAt(buffer, 11, "f"));
    }

    [Fact]
    public void ToStream_HandsTheDescriptorOver_TheHandleIsClosedAfterwards()
    {
        using ConfinedDirectory dir = ConfinedDirectory.Open(_dir);
        SafeFdHandle fd = dir.CreateNewFile("out", 0x1A4);

        using (FileStream stream = fd.ToStream(FileAccess.Write, bufferSize: 0))
        {
            Assert.True(fd.IsClosed);
            stream.Write("written"u8);
        }
        fd.Dispose();

        Assert.Equal("written", File.ReadAllText(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void FailedCall_IsALinuxExceptionAndAnIOException_WithTheTypedErrno()
    {
        using ConfinedDirectory dir = ConfinedDirectory.Open(_dir);

        IOException e = Assert.ThrowsAny<IOException>(() => dir.OpenDirectory("missing"));

        LinuxException linux = Assert.IsType<LinuxException>(e);
        Assert.Equal(Errno.ENOENT, linux.Errno);
        Assert.Equal((int)Errno.ENOENT, e.HResult);
        Assert.Equal($"{Path.Combine(_dir, "missing")}: open directory failed: No such file or directory (ENOENT)", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
