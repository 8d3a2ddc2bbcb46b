using System.Buffers;

namespace ProcessMaster.Protocol.Framing;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>, returned on
/// <see cref="Dispose"/>. For messages written whole and then sent or saved (an RPC reply, the state file): unlike
/// <see cref="ArrayBufferWriter{T}"/> it allocates nothing per message once the pool holds a big enough array, so a
/// status reply or a state save past 85 KB does not put a new array on the large object heap each time (each of which
/// brings a full collection closer).
/// </summary>
public sealed class PooledBufferWriter(int initialBytes = 4096) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);
    private int _written;

    /// <summary>The bytes written so far (valid until the next write or <see cref="Dispose"/>).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The bytes written so far (valid until the next write or <see cref="Dispose"/>).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written) throw new InvalidOperationException("advanced past the end of the buffer");
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        byte[] bigger = ArrayPool<byte>.Shared.Rent(checked(Math.Max(_buffer.Length * 2, _written + needed)));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
