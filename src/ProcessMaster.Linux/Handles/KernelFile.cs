using System.Text;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Handles;

/// <summary>
/// Reads and writes small kernel interface files (cgroupfs, procfs) relative to a directory descriptor:
/// openat with O_NOFOLLOW|O_CLOEXEC, one read loop, or one write(2) per value as cgroupfs requires.
/// </summary>
internal static unsafe class KernelFile
{
    /// <summary>
    /// A read of a seq_file (every cgroupfs interface file: kernfs renders them through seq_show) shorter than this
    /// many bytes reached the end: one read(2) fills the caller's buffer from the kernel's page-sized seq buffer with
    /// whole records until the page is full or the records run out, so a read that leaves more than a record's room in
    /// the page (records here are a pid, a key and a value, a pressure line: far below 512 bytes) had nothing more to
    /// give, provided it asked for a page or more. Saves the read(2) that returns 0, one system call per cgroup file
    /// (docs/performance.md, "Third round").
    /// </summary>
    internal const int SeqFileEndBelow = SeqFilePage - 512;

    /// <summary>The kernel's seq_file buffer (a page); every read of a seq_file asks for at least this much.</summary>
    private const int SeqFilePage = 4096;

    /// <summary>Reads the whole file; returns the errno on failure (ENOENT when the file does not exist).</summary>
    /// <param name="seqFile">The file is a seq_file (cgroupfs): a read shorter than <see cref="SeqFileEndBelow"/> is the last.</param>
    internal static Errno TryReadAt(SafeFdHandle dir, string name, out string text, bool seqFile = false)
    {
        text = "";
        Errno open = SafeFdHandle.TryOpenAt(dir, name, Libc.O_RDONLY, out SafeFdHandle fd);
        using (fd)
        {
            if (open != Errno.None)
            {
                return open;
            }

            return TryReadAll(fd, out text, seqFile);
        }
    }

    /// <summary>Reads an already open descriptor until EOF.</summary>
    internal static Errno TryReadAll(SafeFdHandle fd, out string text, bool seqFile = false)
    {
        // A pooled buffer: status and the resource counters read many small kernel files per request (docs/performance.md).
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            return TryReadAll(fd, ref buffer, out text, seqFile);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Errno TryReadAll(SafeFdHandle fd, ref byte[] buffer, out string text, bool seqFile)
    {
        int used = 0;
        // The end rule holds for reads of at least a page: a smaller read is short because it asked for little.
        int minimumRead = seqFile ? SeqFilePage : 1;
        while (true)
        {
            if (buffer.Length - used < minimumRead)
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

            used += (int)n;
            if (n == 0 || (seqFile && n < SeqFileEndBelow))
            {
                text = Encoding.UTF8.GetString(buffer, 0, used);
                return Errno.None;
            }
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
