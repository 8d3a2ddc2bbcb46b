using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Handles;

/// <summary>
/// An eventfd a worker thread polls next to its real descriptors, so another thread can wake it (new work, stop).
/// The kernel event watcher, the inotify hub and the log capture loop each own one.
/// </summary>
internal sealed unsafe class WakeSignal : IDisposable
{
    internal WakeSignal(string owner) =>
        Handle = SafeFdHandle.FromResult(Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd", owner);

    /// <summary>The eventfd; readable once <see cref="Set"/> was called.</summary>
    internal SafeFdHandle Handle { get; }

    /// <summary>Makes the eventfd readable (idempotent; EAGAIN only when the counter is saturated: already set).</summary>
    internal void Set()
    {
        ulong one = 1;
        _ = Libc.Write(Handle, (byte*)&one, sizeof(ulong));
    }

    /// <summary>Clears the signal (reads the eventfd counter back to zero; EAGAIN when already clear).</summary>
    internal void Reset()
    {
        ulong value;
        _ = Libc.Read(Handle, (byte*)&value, sizeof(ulong));
    }

    /// <summary>
    /// Blocks in poll(2) until <paramref name="fd"/> is readable (when given), the signal is set, or the timeout
    /// passes (-1: none). Returns true when the signal is set.
    /// </summary>
    internal bool Wait(SafeFdHandle? fd, int timeoutMs, out bool readable)
    {
        bool addedFd = false, addedWake = false;
        try
        {
            Handle.DangerousAddRef(ref addedWake);
            if (fd is not null) fd.DangerousAddRef(ref addedFd);
            Libc.PollFd* fds = stackalloc Libc.PollFd[2];
            fds[0] = new Libc.PollFd { Fd = Handle.Fd, Events = Libc.POLLIN };
            fds[1] = new Libc.PollFd { Fd = fd is null ? -1 : fd.Fd, Events = Libc.POLLIN };
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
