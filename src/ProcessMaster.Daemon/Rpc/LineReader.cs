namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// Reads <c>\n</c>-terminated lines from a stream with a hard cap on line length, so one client can never make the
/// daemon buffer more than the cap. A trailing <c>\r</c> is removed; a last line without newline before EOF counts.
/// Timeouts: <c>idle</c> while nothing of the next line has arrived, <c>line</c> once its first byte has.
/// </summary>
internal sealed class LineReader
{
    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;
    private bool _eof;

    public LineReader(Stream stream, int maxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>Reads the next line. The returned memory is valid until the next call.</summary>
    public async ValueTask<LineReadResult> ReadLineAsync(TimeSpan idleTimeout, TimeSpan lineTimeout, CancellationToken cancellationToken)
    {
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

            MakeRoom();
            TimeSpan timeout = available == 0 ? idleTimeout : lineTimeout;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan) timer.CancelAfter(timeout);
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new LineReadResult(available == 0 ? LineReadStatus.IdleTimeout : LineReadStatus.LineTimeout, default);
            }
            if (read == 0) _eof = true;
            _end += read;
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

    private LineReadResult Consume(LineReadStatus status, int upTo)
    {
        _start = upTo;
        return new LineReadResult(status, default);
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            int size = Math.Min(_buffer.Length * 2, _maxLineBytes + 2);
            if (size <= _buffer.Length) size = _buffer.Length + 1;
            Array.Resize(ref _buffer, size);
        }
    }
}
