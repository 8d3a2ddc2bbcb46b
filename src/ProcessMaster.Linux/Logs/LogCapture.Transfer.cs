using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Interop;
using FileErrno = ProcessMaster.Linux.Files.Errno;

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
    private const int PeekBytes = 64 * 1024;
    private readonly byte[] _peek = new byte[PeekBytes];
    private long _rotationBlockedUntil;

    private void Transfer()
    {
        AssertCaptureThread();
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
        return RandomAccess.Read(_file, last, _size - 1) == 1 && last[0] == (byte)'\n';
    }

    /// <summary>
    /// Moves the rest of the open line into the current file, then rotates. False when the line is not
    /// finished yet (wait for more data) or writing failed.
    /// </summary>
    private bool FinishLineAndRotate()
    {
        while (true)
        {
            if (AtLineEnd())
            {
                Rotate();
                return _state is CaptureState.Writing;
            }
            int pending = Peek();
            if (pending == 0) return false;
            int? finish = LineBoundary.BytesToFinishLine(_peek.AsSpan(0, pending));
            if (finish is null && LineBoundary.MustCutMidLine(_overrun + pending, _options.MaxLineOverrun))
            {
                _report(new LogCaptureEvent(LogCaptureEventKind.LineSplit, string.Create(CultureInfo.InvariantCulture,
                    $"{_options.Subject}: a line grew {_overrun + pending} bytes past the rotation point of {FilePath} without ending; rotated mid-line (limit {_options.MaxLineOverrun} bytes)")));
                Rotate();
                return _state is CaptureState.Writing;
            }
            int want = finish ?? pending;
            long moved = MoveToFile(want);
            if (moved <= 0) return false;
            _overrun += moved;
            if (moved < want) return false;
        }
    }

    /// <summary>Copies what waits in the FIFO (up to 64 KiB) into <see cref="_peek"/> without consuming it.</summary>
    private unsafe int Peek()
    {
        (SafeFileHandle read, SafeFileHandle write) = _scratch ??= CreateScratchPipe();
        nint copied = Libc.Tee(_fifo.Handle, write, PeekBytes, Libc.SPLICE_F_NONBLOCK);
        if (copied <= 0) return 0;
        int total = 0;
        fixed (byte* buffer = _peek)
        {
            while (total < copied)
            {
                nint n = Libc.Read(read, buffer + total, (nint)(copied - total));
                if (n <= 0) break;
                total += (int)n;
            }
        }
        return total;
    }

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
        int errno = Marshal.GetLastPInvokeError();
        if (errno is FileErrno.EAGAIN or FileErrno.EINTR) return 0;
        Pause(KindOf(errno), $"{_options.Subject}: write to {FilePath} failed: {FileErrno.Describe(errno)}");
        return -1;
    }

    /// <summary>The log path is refused: drain the FIFO into /dev/null so the service never blocks on it.</summary>
    private unsafe void Discard()
    {
        _devNull ??= Libc.OpenAt(Libc.AT_FDCWD, "/dev/null", Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        nint n = Libc.Splice(_fifo.Handle, null, _devNull, null, Chunk, Libc.SPLICE_F_MOVE | Libc.SPLICE_F_NONBLOCK);
        if (n > 0) Interlocked.Add(ref _bytesDiscarded, n);
    }

    private static unsafe (SafeFileHandle, SafeFileHandle) CreateScratchPipe()
    {
        int* fds = stackalloc int[2];
        if (Libc.Pipe2(fds, Libc.O_CLOEXEC | Libc.O_NONBLOCK) != 0)
            throw new IOException($"pipe2 failed: {FileErrno.Describe(Marshal.GetLastPInvokeError())}");
        return (new SafeFileHandle(fds[0], ownsHandle: true), new SafeFileHandle(fds[1], ownsHandle: true));
    }
}
