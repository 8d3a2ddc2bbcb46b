using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>An eventfd a worker thread polls next to its real fds, so another thread can wake it to stop.</summary>
internal sealed unsafe class WakeSignal : IDisposable
{
    internal WakeSignal()
    {
        Handle = new SafeFileHandle(Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), ownsHandle: true);
        if (Handle.IsInvalid)
            throw new IOException($"eventfd failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>The eventfd; readable once <see cref="Set"/> was called.</summary>
    internal SafeFileHandle Handle { get; }

    /// <summary>Makes the eventfd readable (idempotent).</summary>
    internal void Set()
    {
        ulong one = 1;
        _ = Libc.Write(Handle, (byte*)&one, sizeof(ulong));
    }

    /// <summary>Clears the signal (reads the eventfd counter back to zero).</summary>
    internal void Reset()
    {
        ulong value;
        _ = Libc.Read(Handle, (byte*)&value, sizeof(ulong));
    }

    /// <summary>
    /// Blocks in poll(2) until <paramref name="fd"/> is readable (when given), the signal is set, or the timeout
    /// passes (-1: none). Returns true when the signal is set.
    /// </summary>
    internal bool Wait(SafeFileHandle? fd, int timeoutMs, out bool readable)
    {
        bool addedFd = false, addedWake = false;
        try
        {
            Handle.DangerousAddRef(ref addedWake);
            if (fd is not null) fd.DangerousAddRef(ref addedFd);
            Libc.PollFd* fds = stackalloc Libc.PollFd[2];
            fds[0] = new Libc.PollFd { Fd = (int)Handle.DangerousGetHandle(), Events = Libc.POLLIN };
            fds[1] = new Libc.PollFd { Fd = fd is null ? -1 : (int)fd.DangerousGetHandle(), Events = Libc.POLLIN };
            int n = Libc.Poll(fds, 2, timeoutMs);
            readable = n > 0 && (fds[1].REvents & (Libc.POLLIN | Libc.POLLERR | Libc.POLLHUP)) != 0;
            return n > 0 && (fds[0].REvents & Libc.POLLIN) != 0;
        }
        finally
        {
            if (addedFd) fd!.DangerousRelease();
            if (addedWake) Handle.DangerousRelease();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Handle.Dispose();
}
