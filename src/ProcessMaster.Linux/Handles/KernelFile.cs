using System.Text;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Handles;

/// <summary>
/// Reads and writes small kernel interface files (cgroupfs, procfs) relative to a directory descriptor:
/// openat with O_NOFOLLOW|O_CLOEXEC, one read loop, or one write(2) per value as cgroupfs requires.
/// </summary>
internal static unsafe class KernelFile
{
    /// <summary>Reads the whole file; returns the errno on failure (ENOENT when the file does not exist).</summary>
    internal static Errno TryReadAt(SafeFdHandle dir, string name, out string text)
    {
        text = "";
        Errno open = SafeFdHandle.TryOpenAt(dir, name, Libc.O_RDONLY, out SafeFdHandle fd);
        using (fd)
        {
            if (open != Errno.None)
            {
                return open;
            }

            return TryReadAll(fd, out text);
        }
    }

    /// <summary>Reads an already open descriptor until EOF.</summary>
    internal static Errno TryReadAll(SafeFdHandle fd, out string text)
    {
        // A pooled buffer: status reads three of these files per running service per request (docs/performance.md).
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            return TryReadAll(fd, ref buffer, out text);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Errno TryReadAll(SafeFdHandle fd, ref byte[] buffer, out string text)
    {
        int used = 0;
        while (true)
        {
            if (used == buffer.Length)
            {
                byte[] larger = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                Buffer.BlockCopy(buffer, 0, larger, 0, used);
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            nint n;
            fixed (byte* p = &buffer[used])
            {
                n = Libc.Read(fd, p, buffer.Length - used);
            }

            if (n < 0)
            {
                Errno errno = (Errno)System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                text = "";
                return errno;
            }

            if (n == 0)
            {
                text = Encoding.UTF8.GetString(buffer, 0, used);
                return Errno.None;
            }

            used += (int)n;
        }
    }

    /// <summary>Writes <paramref name="value"/> with a single write(2); returns the errno of open or write.</summary>
    internal static Errno TryWriteAt(SafeFdHandle dir, string name, string value)
    {
        Errno open = SafeFdHandle.TryOpenAt(dir, name, Libc.O_WRONLY, out SafeFdHandle fd);
        using (fd)
        {
            if (open != Errno.None)
            {
                return open;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(value);
            while (true)
            {
                nint n;
                fixed (byte* p = bytes)
                {
                    n = Libc.Write(fd, p, bytes.Length);
                }

                if (n >= 0)
                {
                    return Errno.None;
                }

                Errno errno = (Errno)System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    return errno;
                }
            }
        }
    }
}
