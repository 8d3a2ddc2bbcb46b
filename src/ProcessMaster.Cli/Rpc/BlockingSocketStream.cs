using ProcessMaster.Protocol.Framing;
using System.Net;
using System.Net.Sockets;

namespace ProcessMaster.Cli.Rpc;

/// <summary>
/// pmctl's socket as a stream whose asynchronous calls complete on the calling thread: a read waits in
/// <c>poll(2)</c> (in slices, so cancellation is seen within <see cref="Slice"/>) and then <c>recv</c>s; a write
/// <c>send</c>s. pmctl has one request in flight and nothing else to do meanwhile, so the socket engine's epoll thread
/// and the thread-pool hand-offs of <see cref="NetworkStream"/> would only cost start-up time (docs/performance.md).
/// </summary>
internal sealed class BlockingSocketStream(Socket socket) : Stream, ITimedReadStream
{
    /// <summary>The longest single wait in poll: how late a cancellation (Ctrl-C) can be noticed.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>
    /// Connects without the socket engine: a non-blocking <c>connect</c>, retried while the daemon's listen queue is
    /// full (EAGAIN) until <paramref name="timeout"/>; false when it ran out.
    /// </summary>
    public static bool TryConnect(Socket socket, EndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        socket.Blocking = false;
        while (true)
        {
            try
            {
                socket.Connect(endPoint);
                socket.Blocking = true;
                return true;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (System.Diagnostics.Stopwatch.GetElapsedTime(started) >= timeout) return false;
                Thread.Sleep(5);
            }
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return ValueTask.FromResult(Read(buffer.Span, cancellationToken));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count), CancellationToken.None);

    public override int Read(Span<byte> buffer) => Read(buffer, CancellationToken.None);

    /// <inheritdoc />
    public ValueTask<int?> ReadAsync(Memory<byte> buffer, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            return ValueTask.FromResult(Read(buffer.Span, wait, cancellationToken));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int?>(e);
        }
    }

    private int Read(Span<byte> buffer, CancellationToken cancellationToken) => Read(buffer, Timeout.InfiniteTimeSpan, cancellationToken)!.Value;

    /// <summary>Polls in slices until input arrives (null when <paramref name="wait"/> passes first), then receives.</summary>
    private int? Read(Span<byte> buffer, TimeSpan wait, CancellationToken cancellationToken)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan slice = Slice;
            if (wait != Timeout.InfiniteTimeSpan)
            {
                TimeSpan left = wait - System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) return null;
                if (left < slice) slice = left;
            }
            if (socket.Poll(slice, SelectMode.SelectRead)) break;
        }
        try
        {
            return socket.Receive(buffer);
        }
        catch (SocketException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            while (buffer.Length > 0) buffer = buffer[socket.Send(buffer)..];
        }
        catch (SocketException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) socket.Dispose();
        base.Dispose(disposing);
    }
}
