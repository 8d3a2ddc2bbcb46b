using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Handles;

/// <summary>Positional reads and the hand-over to a <see cref="FileStream"/>, for descriptors of regular files.</summary>
public sealed partial class SafeFdHandle
{
    /// <summary>
    /// Hands the descriptor to a new <see cref="FileStream"/>, which owns it from then on: this handle is invalid
    /// afterwards (disposing it does nothing). For code that writes or reads a whole file through the BCL.
    /// </summary>
    public FileStream ToStream(FileAccess access, int bufferSize)
    {
        var file = new SafeFileHandle(DangerousGetHandle(), ownsHandle: true);
        SetHandleAsInvalid();
        return new FileStream(file, access, bufferSize);
    }

    /// <summary>pread(2) into <paramref name="buffer"/> at <paramref name="offset"/>: the bytes read (0 at the end); <paramref name="subject"/> names the file in errors.</summary>
    internal unsafe int ReadAt(Span<byte> buffer, long offset, string subject)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = Libc.Pread(this, p, buffer.Length, offset);
            }

            if (n >= 0)
            {
                return (int)n;
            }

            var errno = (Errno)Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                throw new LinuxException("pread", errno, subject);
            }
        }
    }

    /// <summary>The file's size (statx of the descriptor); <paramref name="subject"/> names it in errors.</summary>
    internal unsafe long Length(string subject)
    {
        Libc.StatxBuffer buf;
        if (Libc.Statx(this, "", Libc.AT_EMPTY_PATH, Libc.STATX_SIZE, &buf) != 0)
        {
            throw LinuxException.FromLastError("statx", subject);
        }

        return (long)buf.Size;
    }
}
