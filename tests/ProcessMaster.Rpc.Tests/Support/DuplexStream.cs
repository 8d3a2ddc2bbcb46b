using System.IO.Pipelines;

namespace ProcessMaster.Rpc.Tests.Support;

/// <summary>One end of an in-memory duplex byte stream (two pipes), for connection tests without sockets.</summary>
internal sealed class DuplexStream : Stream
{
    private readonly Stream _read;
    private readonly Stream _write;

    private DuplexStream(Stream read, Stream write)
    {
        _read = read;
        _write = write;
    }

    /// <summary>Two connected ends. <paramref name="pauseWriterThreshold"/> bounds what the writer may buffer (a non-reading peer blocks writes).</summary>
    public static (DuplexStream Server, DuplexStream Client) CreatePair(long pauseWriterThreshold = 1024 * 1024)
    {
        var options = new PipeOptions(pauseWriterThreshold: pauseWriterThreshold, resumeWriterThreshold: pauseWriterThreshold / 2);
        var toServer = new Pipe(options);
        var toClient = new Pipe(options);
        return (new DuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream()),
                new DuplexStream(toClient.Reader.AsStream(), toServer.Writer.AsStream()));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => _write.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _write.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _read.ReadAsync(buffer, cancellationToken);
    public override void Write(byte[] buffer, int offset, int count) => _write.Write(buffer, offset, count);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _write.WriteAsync(buffer, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _write.Dispose();
            _read.Dispose();
        }
        base.Dispose(disposing);
    }
}
