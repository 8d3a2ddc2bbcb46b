using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>An eventfd a worker thread polls next to its real fds, so another thread can wake it to stop.</summary>
internal sealed unsafe class WakeSignal : IDisposable
{
    internal WakeSignal()
    {
        Handle = LogsLibc.EventFd(0, LogsLibc.EFD_CLOEXEC | LogsLibc.EFD_NONBLOCK);
        if (Handle.IsInvalid)
            throw new IOException($"eventfd failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>The eventfd; readable once <see cref="Set"/> was called.</summary>
    internal SafeFileHandle Handle { get; }

    /// <summary>Makes the eventfd readable (idempotent).</summary>
    internal void Set()
    {
        ulong one = 1;
        _ = LogsLibc.Write(Handle, (byte*)&one, sizeof(ulong));
    }

    /// <summary>Clears the signal (reads the eventfd counter back to zero).</summary>
    internal void Reset()
    {
        ulong value;
        _ = LogsLibc.Read(Handle, (byte*)&value, sizeof(ulong));
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
            LogsLibc.PollFd* fds = stackalloc LogsLibc.PollFd[2];
            fds[0] = new LogsLibc.PollFd { Fd = (int)Handle.DangerousGetHandle(), Events = LogsLibc.POLLIN };
            fds[1] = new LogsLibc.PollFd { Fd = fd is null ? -1 : (int)fd.DangerousGetHandle(), Events = LogsLibc.POLLIN };
            int n = LogsLibc.Poll(fds, 2, timeoutMs);
            readable = n > 0 && (fds[1].REvents & (LogsLibc.POLLIN | LogsLibc.POLLERR | LogsLibc.POLLHUP)) != 0;
            return n > 0 && (fds[0].REvents & LogsLibc.POLLIN) != 0;
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
