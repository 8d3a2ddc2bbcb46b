using System.Diagnostics;

namespace ProcessMaster.Protocol.Framing;

/// <summary>
/// Reads <c>\n</c>-terminated lines from a stream with a hard cap on line length, so a peer can never make the reader
/// buffer more than the cap. A trailing <c>\r</c> is removed; a last line without newline before EOF counts.
/// <para>Time limits (N-05): <c>idle</c> runs while nothing of the next line has arrived; <c>line</c> is one absolute
/// deadline set when the line's first byte arrives (a peer that drips one byte at a time is still cut when it
/// passes); an optional overall deadline caps both. Memory: the buffer starts at <see cref="InitialBytes"/>; growing
/// beyond that is charged to a shared <see cref="LineBudget"/>, and the buffer shrinks back once a large line has
/// been consumed.</para>
/// <para>A timed-out read loses nothing: bytes already received stay buffered for the next call.</para>
/// </summary>
public sealed class LineReader : IDisposable
{
    /// <summary>The buffer every reader starts with (not charged to the budget).</summary>
    public const int InitialBytes = 4096;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly LineBudget? _budget;
    private byte[] _buffer = new byte[InitialBytes];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>A reader of lines up to <paramref name="maxLineBytes"/> (newline excluded), growing within <paramref name="budget"/> (null: no shared limit).</summary>
    public LineReader(Stream stream, int maxLineBytes, LineBudget? budget = null)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _budget = budget;
    }

    /// <summary>The buffer's current size (tests: it shrinks back after a large line).</summary>
    public int BufferBytes => _buffer.Length;

    /// <summary>Reads the next line with idle and line timeouts. The returned memory is valid until the next call.</summary>
    public ValueTask<LineReadResult> ReadLineAsync(TimeSpan idleTimeout, TimeSpan lineTimeout, CancellationToken cancellationToken) =>
        ReadLineAsync(idleTimeout, lineTimeout, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Reads the next line. <paramref name="idleTimeout"/> counts from this call while nothing of the line has arrived;
    /// <paramref name="lineTimeout"/> from the line's first byte; <paramref name="deadline"/> from this call, whatever
    /// arrives. <see cref="Timeout.InfiniteTimeSpan"/> disables one. The returned memory is valid until the next call.
    /// </summary>
    public async ValueTask<LineReadResult> ReadLineAsync(TimeSpan idleTimeout, TimeSpan lineTimeout, TimeSpan deadline, CancellationToken cancellationToken)
    {
        Shrink();
        long callStart = Stopwatch.GetTimestamp();
        long? lineStart = _end > _start ? callStart : null;
        int scanned = 0;
        while (true)
        {
            int available = _end - _start;
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, available - scanned);
            if (newline >= 0)
            {
                int length = newline - _start;
                if (length > _maxLineBytes) return Consume(LineReadStatus.TooLong, newline + 1);
                int contentEnd = length > 0 && _buffer[newline - 1] == '\r' ? newline - 1 : newline;
                var line = new ReadOnlyMemory<byte>(_buffer, _start, contentEnd - _start);
                _start = newline + 1;
                return new LineReadResult(LineReadStatus.Line, line);
            }
            scanned = available;
            if (available > _maxLineBytes) return Consume(LineReadStatus.TooLong, _end);
            if (_eof)
            {
                if (available == 0) return new LineReadResult(LineReadStatus.Eof, default);
                var last = new ReadOnlyMemory<byte>(_buffer, _start, available);
                _start = _end;
                return new LineReadResult(LineReadStatus.Line, last);
            }
            if (available > 0) lineStart ??= Stopwatch.GetTimestamp();
            if (!MakeRoom()) return new LineReadResult(LineReadStatus.OverBudget, default);

            (TimeSpan wait, LineReadStatus expiry) = available == 0
                ? (Left(callStart, idleTimeout), LineReadStatus.IdleTimeout)
                : (Left(lineStart!.Value, lineTimeout), LineReadStatus.LineTimeout);
            TimeSpan overall = Left(callStart, deadline);
            if (overall != Timeout.InfiniteTimeSpan && (wait == Timeout.InfiniteTimeSpan || overall < wait)) (wait, expiry) = (overall, LineReadStatus.DeadlineReached);
            if (wait == TimeSpan.Zero) return new LineReadResult(expiry, default);

            int? read = await ReadAsync(wait, cancellationToken).ConfigureAwait(false);
            if (read is null) return new LineReadResult(expiry, default);
            if (read == 0) _eof = true;
            _end += read.Value;
        }
    }

    /// <summary>One read into the free end of the buffer; null when <paramref name="wait"/> passed first.</summary>
    private async ValueTask<int?> ReadAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_stream is ITimedReadStream timed) return await timed.ReadAsync(_buffer.AsMemory(_end), wait, cancellationToken).ConfigureAwait(false);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (wait != Timeout.InfiniteTimeSpan) timer.CancelAfter(wait);
        try
        {
            return await _stream.ReadAsync(_buffer.AsMemory(_end), timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Reads and discards input until EOF, <paramref name="maxBytes"/> or <paramref name="budget"/> (so a reply is not lost to a reset).</summary>
    public async ValueTask DrainAsync(long maxBytes, TimeSpan budget, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(budget);
        long total = 0;
        try
        {
            while (!_eof && total < maxBytes)
            {
                int read = await _stream.ReadAsync(_buffer, timer.Token).ConfigureAwait(false);
                if (read == 0) break;
                total += read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Best effort only.
        }
    }

    /// <summary>Gives the buffer's growth back to the budget.</summary>
    public void Dispose()
    {
        _budget?.Return(_buffer.Length - InitialBytes);
        _buffer = [];
        _start = _end = 0;
    }

    private static TimeSpan Left(long since, TimeSpan limit)
    {
        if (limit == Timeout.InfiniteTimeSpan) return limit;
        TimeSpan left = limit - Stopwatch.GetElapsedTime(since);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private LineReadResult Consume(LineReadStatus status, int upTo)
    {
        _start = upTo;
        return new LineReadResult(status, default);
    }

    private bool MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end < _buffer.Length) return true;
        int size = Math.Min(_buffer.Length * 2, _maxLineBytes + 2);
        if (size <= _buffer.Length) size = _buffer.Length + 1;
        if (_budget is not null && !_budget.TryTake(size - _buffer.Length)) return false;
        Array.Resize(ref _buffer, size);
        return true;
    }

    /// <summary>After a large line, goes back to the initial buffer once what is left fits in it.</summary>
    private void Shrink()
    {
        int pending = _end - _start;
        if (_buffer.Length <= InitialBytes || pending > InitialBytes) return;
        byte[] small = new byte[InitialBytes];
        Buffer.BlockCopy(_buffer, _start, small, 0, pending);
        _budget?.Return(_buffer.Length - InitialBytes);
        _buffer = small;
        _start = 0;
        _end = pending;
    }
}
