using System.Runtime.InteropServices;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// What captures share on the loop thread instead of holding one each: the scratch pipe and buffer a line-boundary
/// peek goes through, and /dev/null for a refused path. Opened on first use.
/// </summary>
public sealed partial class LogCaptureLoop
{
    private (SafeFdHandle Read, SafeFdHandle Write)? _scratch;
    private SafeFdHandle? _devNull;

    /// <summary>Copies what waits in <paramref name="fifo"/> (up to <see cref="LogCapture.PeekBytes"/>) into <see cref="PeekBuffer"/> without consuming it.</summary>
    internal unsafe int Peek(SafeFdHandle fifo)
    {
        (SafeFdHandle read, SafeFdHandle write) = _scratch ??= CreateScratchPipe();
        nint copied = Libc.Tee(fifo, write, LogCapture.PeekBytes, Libc.SPLICE_F_NONBLOCK);
        if (copied <= 0) return 0;
        int total = 0;
        fixed (byte* buffer = PeekBuffer)
        {
            while (total < copied)
            {
                nint n = Libc.Read(read, buffer + total, (nint)(copied - total));
                if (n <= 0) break;
                total += (int)n;
            }
            // The scratch pipe is shared: never leave bytes in it for the next peek.
            byte* sink = stackalloc byte[512];
            while (total < copied && Libc.Read(read, sink, 512) > 0)
            {
            }
        }
        return total;
    }

    /// <summary>Moves up to <paramref name="limit"/> bytes from <paramref name="fifo"/> into /dev/null; the bytes moved.</summary>
    internal unsafe long Discard(SafeFdHandle fifo, int limit)
    {
        if (_devNull is null) _ = SafeFdHandle.TryOpen("/dev/null", Libc.O_WRONLY, out _devNull); // invalid: splice fails with EBADF
        nint n = Libc.Splice(fifo, null, _devNull, null, (nuint)limit, Libc.SPLICE_F_MOVE | Libc.SPLICE_F_NONBLOCK);
        return n;
    }

    private void DisposeScratch()
    {
        _scratch?.Read.Dispose();
        _scratch?.Write.Dispose();
        _devNull?.Dispose();
    }

    private static unsafe (SafeFdHandle, SafeFdHandle) CreateScratchPipe()
    {
        int* fds = stackalloc int[2];
        if (Libc.Pipe2(fds, Libc.O_CLOEXEC | Libc.O_NONBLOCK) != 0)
            throw LinuxException.FromLastError("pipe2", "log capture");
        return (new SafeFdHandle(fds[0], ownsHandle: true), new SafeFdHandle(fds[1], ownsHandle: true));
    }
}
