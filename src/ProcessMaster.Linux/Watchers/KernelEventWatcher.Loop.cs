using System.Runtime.InteropServices;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Linux.Watchers;

public sealed partial class KernelEventWatcher
{
    private const int FixedFds = 2; // [0] eventfd, [1] inotify

    /// <summary>How soon a <c>cgroup.events</c> that could not be read for want of a resource is read again (ms).</summary>
    private const int RetryMilliseconds = 100;

    /// <summary>Watches whose <c>cgroup.events</c> could not be read for want of a resource (EMFILE, ENFILE,
    /// ENOMEM, EINTR; audit N-17): their last value stands until a retry reads it. Loop thread only.</summary>
    private readonly List<CgroupWatch> _retry = [];

    private void RunLoop()
    {
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            Environment.FailFast("processmaster: the kernel event watcher thread failed; exit and cgroup notifications would be lost", e);
        }
    }

    private unsafe void Loop()
    {
        int builtVersion = -1;
        PidWatch[] polled = [];
        Libc.PollFd[] fds = new Libc.PollFd[FixedFds];
        byte[] inotifyBuffer = new byte[64 * (Libc.SizeOfInotifyEvent + 256)];
        bool wakeRef = false, inotifyRef = false;
        _wake.Handle.DangerousAddRef(ref wakeRef);
        _inotify.DangerousAddRef(ref inotifyRef);
        try
        {
            while (!_disposed)
            {
                lock (_lock)
                {
                    if (builtVersion != _pidVersion)
                    {
                        ReleaseAll(polled);
                        polled = AddRefAll(_pids.Values.Concat(_children.Values));
                        fds = new Libc.PollFd[FixedFds + polled.Length];
                        fds[0] = new Libc.PollFd { Fd = _wake.Handle.Fd, Events = Libc.POLLIN };
                        fds[1] = new Libc.PollFd { Fd = _inotify.Fd, Events = Libc.POLLIN };
                        for (int i = 0; i < polled.Length; i++)
                        {
                            fds[FixedFds + i] = new Libc.PollFd { Fd = polled[i].Pidfd.Fd, Events = Libc.POLLIN };
                        }

                        builtVersion = _pidVersion;
                    }
                }

                int ready;
                fixed (Libc.PollFd* p = fds)
                {
                    ready = Libc.Poll(p, (nuint)fds.Length, _retry.Count > 0 ? RetryMilliseconds : -1);
                }

                RecheckDeferred();

                if (ready < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == (int)Errno.EINTR)
                    {
                        continue;
                    }

                    throw new LinuxException("poll", errno, "kernel event watcher");
                }

                if (fds[0].REvents != 0)
                {
                    _wake.Reset();
                }

                if (fds[1].REvents != 0)
                {
                    DrainInotify(inotifyBuffer);
                }

                for (int i = 0; i < polled.Length; i++)
                {
                    if (fds[FixedFds + i].REvents != 0)
                    {
                        OnPidfdReady(polled[i]);
                        fds[FixedFds + i].Fd = -1; // poll ignores negative fds until the set is rebuilt
                    }
                }
            }
        }
        finally
        {
            ReleaseAll(polled);
            if (wakeRef) { _wake.Handle.DangerousRelease(); }
            if (inotifyRef) { _inotify.DangerousRelease(); }
        }
    }

    private static PidWatch[] AddRefAll(IEnumerable<PidWatch> watches)
    {
        var result = new List<PidWatch>();
        foreach (PidWatch watch in watches)
        {
            bool added = false;
            try
            {
                watch.Pidfd.DangerousAddRef(ref added);
            }
            catch (ObjectDisposedException)
            {
                continue;
            }

            if (added)
            {
                result.Add(watch);
            }
        }

        return [.. result];
    }

    private static void ReleaseAll(PidWatch[] watches)
    {
        foreach (PidWatch watch in watches)
        {
            watch.Pidfd.DangerousRelease();
        }
    }

    private void OnPidfdReady(PidWatch watch)
    {
        if (watch.Child is { } child)
        {
            OnChildReady(watch, child);
            return;
        }

        lock (_lock)
        {
            if (!_pids.TryGetValue(watch.Key, out PidWatch? current) || !ReferenceEquals(current, watch))
            {
                return; // unwatched meanwhile
            }

            _pids.Remove(watch.Key);
            _pidVersion++;
            watch.Pidfd.Dispose();
        }

        _events.TryWrite(new ProcessExited(watch.Key, watch.Pid));
    }

    private void OnChildReady(PidWatch watch, ChildProcess child)
    {
        lock (_lock)
        {
            if (!_children.TryGetValue(watch.Pid, out PidWatch? current) || !ReferenceEquals(current, watch))
            {
                return;
            }

            // ChildProcess.Exit runs its continuations on the thread pool, never on this thread.
            if (child.TryReap())
            {
                _children.Remove(watch.Pid);
            }

            _pidVersion++; // rebuild: drop the reaped pidfd, or poll the one that is not reapable yet again
        }
    }

    private unsafe void DrainInotify(byte[] buffer)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = Libc.Read(_inotify, p, buffer.Length);
            }

            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == (int)Errno.EAGAIN)
                {
                    return;
                }

                if (errno == (int)Errno.EINTR)
                {
                    continue;
                }

                throw new LinuxException("read", errno, "inotify (kernel event watcher)");
            }

            for (int offset = 0; offset + Libc.SizeOfInotifyEvent <= n;)
            {
                int wd = BitConverter.ToInt32(buffer, offset);
                uint mask = BitConverter.ToUInt32(buffer, offset + 4);
                uint nameLength = BitConverter.ToUInt32(buffer, offset + 12);
                OnInotify(wd, mask);
                offset += Libc.SizeOfInotifyEvent + (int)nameLength;
            }
        }
    }

    private void OnInotify(int wd, uint mask)
    {
        lock (_lock)
        {
            if ((mask & Libc.IN_Q_OVERFLOW) != 0)
            {
                foreach (CgroupWatch watch in _cgroupsByKey.Values)
                {
                    Recheck(watch);
                }

                return;
            }

            if (!_cgroupsByWd.TryGetValue(wd, out CgroupWatch? target))
            {
                return; // unwatched meanwhile
            }

            if ((mask & Libc.IN_IGNORED) != 0)
            {
                // The kernel dropped the watch: the cgroup directory was removed, so it is certainly empty.
                _cgroupsByWd.Remove(wd);
                _cgroupsByKey.Remove(target.Key);
                Publish(target, populated: false);
                return;
            }

            Recheck(target);
        }
    }

    /// <summary>An errno that says "not now" rather than "wrong": out of descriptors or memory, or interrupted.</summary>
    private static bool IsTransient(Errno errno) => errno is Errno.EMFILE or Errno.ENFILE or Errno.ENOMEM or Errno.EINTR or Errno.EAGAIN;

    private void RecheckDeferred()
    {
        if (_retry.Count == 0) return;
        lock (_lock)
        {
            CgroupWatch[] due = [.. _retry];
            _retry.Clear();
            foreach (CgroupWatch watch in due)
                if (_cgroupsByKey.TryGetValue(watch.Key, out CgroupWatch? current) && ReferenceEquals(current, watch)) Recheck(watch);
        }
    }

    private void Recheck(CgroupWatch watch)
    {
        bool populated;
        using (SafeFdHandle fd = OpenEvents(watch.EventsPath, out Errno errno))
        {
            if (errno == Errno.ENOENT)
            {
                populated = false;
            }
            else if (IsTransient(errno))
            {
                if (!_retry.Contains(watch)) _retry.Add(watch);
                return;
            }
            else if (errno != Errno.None)
            {
                throw new LinuxException("open", errno, watch.EventsPath);
            }
            else
            {
                Errno readErrno = KernelFile.TryReadAll(fd, out string text);
                if (readErrno == Errno.ENODEV || readErrno == Errno.ENOENT)
                {
                    populated = false; // removed between open and read
                }
                else if (IsTransient(readErrno))
                {
                    if (!_retry.Contains(watch)) _retry.Add(watch);
                    return;
                }
                else if (readErrno != Errno.None)
                {
                    throw new LinuxException("read", readErrno, watch.EventsPath);
                }
                else
                {
                    populated = CgroupNode.ParsePopulated(text);
                }
            }
        }

        Publish(watch, populated);
    }

    private void Publish(CgroupWatch watch, bool populated)
    {
        if (watch.Populated == populated)
        {
            return;
        }

        watch.Populated = populated;
        _events.TryWrite(new CgroupPopulatedChanged(watch.Key, populated));
    }

    private static SafeFdHandle OpenEvents(string path, out Errno errno)
    {
        int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0);
        errno = fd >= 0 ? Errno.None : (Errno)Marshal.GetLastPInvokeError();
        return new SafeFdHandle(fd, ownsHandle: true);
    }
}
