using Microsoft.Win32.SafeHandles;

namespace ProcessMaster.Cli;

/// <summary>
/// fd 1 as a stream that reports a closed reader: .NET's console stream ignores EPIPE, which would keep
/// <c>pmctl logs -f | head</c> running forever; this one throws <see cref="StdoutClosedException"/> instead.
/// A pipe, tty or socket is written with write(2) through a FileStream; a regular file (which cannot raise EPIPE)
/// through the console stream, because a FileStream would pwrite at its own offset and not move the shared one.
/// </summary>
internal sealed class StdoutStream : Stream
{
    private readonly Stream _inner = Open();

    private static Stream Open()
    {
        var file = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (!file.CanSeek) return file;
        file.Dispose();
        return Console.OpenStandardOutput();
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Guard(() => _inner.Write(buffer, offset, count));
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try { _inner.Write(buffer); }
        catch (IOException e) { throw new StdoutClosedException(e); }
    }
    public override void Flush() => Guard(_inner.Flush);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private static void Guard(Action write)
    {
        try { write(); }
        catch (IOException e) { throw new StdoutClosedException(e); }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
