using System.Runtime.InteropServices;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Handles;

/// <summary>
/// Owns one file descriptor. -1 is the invalid value; fd 0 is a real descriptor.
/// Everything this layer opens is opened with O_CLOEXEC.
/// </summary>
public sealed partial class SafeFdHandle : SafeHandle
{
    /// <summary>An invalid handle (-1).</summary>
    public SafeFdHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    /// <summary>Wraps an existing descriptor.</summary>
    public SafeFdHandle(int fd, bool ownsHandle)
        : base(new IntPtr(-1), ownsHandle) => SetHandle(new IntPtr(fd));

    /// <inheritdoc />
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The raw descriptor number. Only valid while the handle is alive.</summary>
    public int Fd => (int)handle.ToInt64();

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Libc.Close((int)handle.ToInt64()) == 0;

    /// <summary>open(2) with O_CLOEXEC added; throws <see cref="LinuxException"/> naming the path.</summary>
    internal static SafeFdHandle Open(string path, int flags, uint mode = 0)
    {
        int fd = Libc.Open(path, flags | Libc.O_CLOEXEC, mode);
        return fd >= 0 ? new SafeFdHandle(fd, ownsHandle: true) : throw LinuxException.FromLastError("open", path);
    }

    /// <summary>open(2) with O_CLOEXEC added; returns the errno instead of throwing.</summary>
    internal static Errno TryOpen(string path, int flags, out SafeFdHandle handle, uint mode = 0) =>
        Wrap(Libc.Open(path, flags | Libc.O_CLOEXEC, mode), out handle);

    /// <summary>openat(2) with O_CLOEXEC and O_NOFOLLOW added; returns the errno instead of throwing.</summary>
    internal static Errno TryOpenAt(SafeFdHandle dir, string name, int flags, out SafeFdHandle handle, uint mode = 0)
    {
        return Wrap(Libc.OpenAt(dir, name, flags | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, mode), out handle);
    }

    /// <summary>Wraps the result of a call that returns a new descriptor, or returns its errno.</summary>
    internal static Errno Wrap(int fd, out SafeFdHandle handle)
    {
        if (fd >= 0)
        {
            handle = new SafeFdHandle(fd, ownsHandle: true);
            return Errno.None;
        }

        handle = new SafeFdHandle();
        return (Errno)Marshal.GetLastPInvokeError();
    }

    /// <summary>Wraps the result of a call that returns a new descriptor, or throws.</summary>
    internal static SafeFdHandle FromResult(int fd, string syscall, string subject) =>
        fd >= 0 ? new SafeFdHandle(fd, ownsHandle: true) : throw LinuxException.FromLastError(syscall, subject);
}
