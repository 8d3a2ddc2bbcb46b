using System.Globalization;
using System.Runtime.InteropServices;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// Moving bytes FIFO → file with splice(2), and finishing the open line before a rotation.
/// <para>Line boundary: a rotation happens only when the last byte in the file is '\n'. When a rotation is
/// due and the file ends mid-line, the capture peeks at the pipe with tee(2) (which copies without
/// consuming), moves exactly the bytes up to and including the next '\n', then rotates. A line is split only
/// when it grows <see cref="LogCaptureOptions.MaxLineOverrun"/> bytes past the point where rotation became due
/// (an event says so).</para>
/// </summary>
public sealed partial class LogCapture
{
    /// <summary>How much of the FIFO a line-boundary peek looks at (the loop's shared buffer and scratch pipe hold this much).</summary>
    internal const int PeekBytes = 64 * 1024;
    private long _rotationBlockedUntil;

    private void Transfer()
    {
        AssertOwner();
        if (RotationDue() && !FinishLineAndRotate()) return;
        if (_state is not CaptureState.Writing) return;
        LogRotationSettings rotation = _options.Rotation;
        int limit = rotation.Mode == LogRotationMode.Size
            ? SizeRotation.NextTransferLimit(_size, rotation.SizeBytes, Chunk)
            : Chunk;
        _ = MoveToFile(limit);
    }

    private bool RotationDue()
    {
        if (_rotationBlockedUntil != 0 && Now() < _rotationBlockedUntil) return false;
        LogRotationSettings rotation = _options.Rotation;
        return rotation.Mode == LogRotationMode.Size
            ? SizeRotation.IsThresholdCrossed(_size, rotation.SizeBytes)
            : TimeRotationDue();
    }

    private bool TimeRotationDue() =>
        _nextBoundary is { } boundary && _options.Time.GetUtcNow() >= boundary
        && (_rotationBlockedUntil == 0 || Now() >= _rotationBlockedUntil);

    /// <summary>True when the file is empty or its last byte is '\n' (a pread of one byte from the page cache).</summary>
    private bool AtLineEnd()
    {
        if (_size == 0 || _file is null) return true;
        Span<byte> last = stackalloc byte[1];
        return _file.ReadAt(last, _size - 1, FilePath) == 1 && last[0] == (byte)'\n';
    }

    /// <summary>
    /// Moves the rest of the open line into the current file, then hands the rotation to a worker. False when the
    /// line is not finished yet (wait for more data), writing failed, or the rotation started (the stream waits for it).
    /// </summary>
    private bool FinishLineAndRotate()
    {
        while (true)
        {
            if (AtLineEnd())
            {
                StartMaintenance(Rotate);
                return false;
            }
            int pending = Peek();
            if (pending == 0) return false;
            int? finish = LineBoundary.BytesToFinishLine(_loop.PeekBuffer.AsSpan(0, pending));
            if (finish is null && LineBoundary.MustCutMidLine(_overrun + pending, _options.MaxLineOverrun))
            {
                _report(new LogCaptureEvent(LogCaptureEventKind.LineSplit, string.Create(CultureInfo.InvariantCulture,
                    $"{_options.Subject}: a line grew {_overrun + pending} bytes past the rotation point of {FilePath} without ending; rotated mid-line (limit {_options.MaxLineOverrun} bytes)")));
                StartMaintenance(Rotate);
                return false;
            }
            int want = finish ?? pending;
            long moved = MoveToFile(want);
            if (moved <= 0) return false;
            _overrun += moved;
            if (moved < want) return false;
        }
    }

    /// <summary>Copies what waits in the FIFO (up to 64 KiB) into the loop's peek buffer without consuming it.</summary>
    private int Peek() => _loop.Peek(_fifo.Handle);

    /// <summary>
    /// One splice(2) of up to <paramref name="limit"/> bytes into the file at its current end. Returns the bytes
    /// moved, 0 when the pipe was empty, -1 after a write error (the capture is then paused; the data stays in the pipe).
    /// </summary>
    private unsafe long MoveToFile(int limit)
    {
        nint n = Libc.Splice(_fifo.Handle, null, _file!, null, (nuint)limit, Libc.SPLICE_F_MOVE | Libc.SPLICE_F_NONBLOCK);
        if (n > 0)
        {
            _size += n;
            Interlocked.Add(ref _bytesWritten, n);
            ReportResumedIfPending();
            return n;
        }
        if (n == 0) return 0;
        var errno = (Errno)Marshal.GetLastPInvokeError();
        if (errno is Errno.EAGAIN or Errno.EINTR) return 0;
        Pause(KindOf(errno), $"{_options.Subject}: write to {FilePath} failed: {LinuxException.Describe(errno)}");
        return -1;
    }

    /// <summary>The log path is refused: drain the FIFO into /dev/null so the service never blocks on it.</summary>
    private void Discard()
    {
        long n = _loop.Discard(_fifo.Handle, Chunk);
        if (n > 0) Interlocked.Add(ref _bytesDiscarded, n);
    }
}
