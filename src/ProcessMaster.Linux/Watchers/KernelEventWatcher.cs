using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Linux.Watchers;

/// <summary>
/// One dedicated thread blocked in poll(2) on: an inotify descriptor watching <c>cgroup.events</c> (IN_MODIFY) of
/// every registered cgroup, every registered pidfd, and an eventfd that wakes it when the pid set changes.
/// It only turns readiness into <see cref="KernelEvent"/>s written to the owner's channel (use an unbounded
/// channel: the thread never blocks on a reader), and reaps the daemon's own children (<see cref="Reap"/>) with a
/// non-blocking <c>waitid(P_PIDFD)</c> once their pidfd is readable. No polling loops, no timers. If the loop fails unexpectedly the
/// process is terminated with <see cref="Environment.FailFast(string, Exception)"/>: supervision without exit
/// notifications would be silently wrong.
/// </summary>
public sealed partial class KernelEventWatcher : IDisposable
{
    /// <summary>The per-user inotify watch limit, named in errors when it is reached.</summary>
    public const string MaxUserWatchesPath = "/proc/sys/fs/inotify/max_user_watches";

    private readonly ChannelWriter<KernelEvent> _events;
    private readonly SafeFdHandle _inotify;
    private readonly WakeSignal _wake;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CgroupWatch> _cgroupsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<int, CgroupWatch> _cgroupsByWd = [];
    private readonly Dictionary<string, PidWatch> _pids = new(StringComparer.Ordinal);
    private readonly Dictionary<int, PidWatch> _children = [];
    private readonly Thread _thread;
    private int _pidVersion;
    private volatile bool _disposed;

    /// <summary>Creates the descriptors and starts the watcher thread.</summary>
    /// <param name="events">Where events go; written with TryWrite from the watcher thread.</param>
    public KernelEventWatcher(ChannelWriter<KernelEvent> events)
    {
        _events = events;
        _inotify = SafeFdHandle.FromResult(Libc.InotifyInit1(Libc.IN_NONBLOCK | Libc.IN_CLOEXEC), "inotify_init1", "kernel event watcher");
        _wake = new WakeSignal("kernel event watcher");
        _thread = new Thread(RunLoop) { IsBackground = true, Name = "pm-kernel-events" };
        _thread.Start();
    }

    /// <summary>
    /// Watches <c>cgroup.events</c> of <paramref name="cgroup"/> under <paramref name="key"/> and returns the
    /// current <c>populated</c> value, read after the watch was added, so no change after it can be missed.
    /// Later changes arrive as <see cref="CgroupPopulatedChanged"/>.
    /// </summary>
    public bool WatchCgroup(string key, CgroupNode cgroup)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        string eventsPath = cgroup.Path + "/" + CgroupNode.EventsFile;
        lock (_lock)
        {
            if (_cgroupsByKey.ContainsKey(key))
            {
                throw new ArgumentException($"a cgroup is already watched under key \"{key}\"", nameof(key));
            }

            int wd = Libc.InotifyAddWatch(_inotify, eventsPath, Libc.IN_MODIFY);
            if (wd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                string? hint = errno == (int)Errno.ENOSPC ? $"the inotify watch limit is reached ({MaxUserWatchesPath} = {ReadLimit()}); raise it with sysctl" : null;
                throw new LinuxException("inotify_add_watch", (Errno)errno, eventsPath, hint);
            }

            if (_cgroupsByWd.TryGetValue(wd, out CgroupWatch? other))
            {
                throw new ArgumentException($"{cgroup.Path} is already watched under key \"{other.Key}\"", nameof(cgroup));
            }

            var watch = new CgroupWatch(key, wd, eventsPath) { Populated = cgroup.IsPopulated() };
            _cgroupsByKey.Add(key, watch);
            _cgroupsByWd.Add(wd, watch);
            return watch.Populated;
        }
    }

    /// <summary>
    /// Stops watching the cgroup registered under <paramref name="key"/>; returns false if there was none.
    /// Call it before removing the cgroup: kernfs sends no inotify event when a cgroup directory is removed
    /// (measured), so the watch would otherwise stay registered.
    /// </summary>
    public bool UnwatchCgroup(string key)
    {
        lock (_lock)
        {
            if (!_cgroupsByKey.Remove(key, out CgroupWatch? watch))
            {
                return false;
            }

            _cgroupsByWd.Remove(watch.Wd);
            _ = Libc.InotifyRmWatch(_inotify, watch.Wd); // EINVAL when the kernel already dropped it (cgroup removed)
            return true;
        }
    }

    /// <summary>
    /// Watches process <paramref name="pid"/> through a pidfd. Its exit arrives once as <see cref="ProcessExited"/>,
    /// after which the watch is gone. A pid that no longer exists is reported as exited at once (returns false).
    /// Notification only: this never reaps (the owner of the child does).
    /// </summary>
    public bool WatchPid(string key, int pid)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int fd = Libc.PidfdOpen(pid, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == (int)Errno.ESRCH)
            {
                _events.TryWrite(new ProcessExited(key, pid));
                return false;
            }

            throw new LinuxException("pidfd_open", errno, $"pid {pid.ToString(CultureInfo.InvariantCulture)} (key \"{key}\")");
        }

        var watch = new PidWatch(key, pid, new SafeFdHandle(fd, ownsHandle: true));
        lock (_lock)
        {
            if (!_pids.TryAdd(key, watch))
            {
                watch.Pidfd.Dispose();
                throw new ArgumentException($"a pid is already watched under key \"{key}\"", nameof(key));
            }

            _pidVersion++;
        }

        Wake();
        return true;
    }

    /// <summary>
    /// Reaps <paramref name="child"/> when it exits: its pidfd joins the poll set, and once readable the watcher
    /// thread calls <c>waitid(P_PIDFD, WEXITED | WNOHANG)</c>, which completes <see cref="ChildProcess.Exit"/>.
    /// A child that already exited is reaped at the next wake-up.
    /// </summary>
    public void Reap(ChildProcess child)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_lock)
        {
            _children.Add(child.Pid, new PidWatch(ChildKeyPrefix + child.Pid.ToString(CultureInfo.InvariantCulture), child.Pid, child.Pidfd, child));
            _pidVersion++;
        }

        Wake();
    }

    /// <summary>Children registered with <see cref="Reap"/> and not reaped yet.</summary>
    public int Unreaped
    {
        get
        {
            lock (_lock)
            {
                return _children.Count;
            }
        }
    }

    /// <summary>Stops watching the pid registered under <paramref name="key"/>; returns false if there was none.</summary>
    public bool UnwatchPid(string key)
    {
        lock (_lock)
        {
            if (!_pids.Remove(key, out PidWatch? watch))
            {
                return false;
            }

            _pidVersion++;
            watch.Pidfd.Dispose(); // closed once the poll thread releases its reference
        }

        Wake();
        return true;
    }

    /// <summary>Stops the thread and closes every descriptor.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Wake();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        lock (_lock)
        {
            foreach (PidWatch watch in _pids.Values)
            {
                watch.Pidfd.Dispose();
            }

            _pids.Clear();
            _children.Clear(); // their pidfds belong to the ChildProcess objects
            _cgroupsByKey.Clear();
            _cgroupsByWd.Clear();
        }

        _inotify.Dispose();
        _wake.Dispose();
    }

    private void Wake() => _wake.Set();

    private static string ReadLimit()
    {
        try
        {
            return File.ReadAllText(MaxUserWatchesPath).Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private sealed class CgroupWatch(string key, int wd, string eventsPath)
    {
        public string Key { get; } = key;

        public int Wd { get; } = wd;

        public string EventsPath { get; } = eventsPath;

        public bool Populated { get; set; }
    }

    private const string ChildKeyPrefix = "\0child:";

    /// <summary>A pidfd in the poll set: a watched pid (<see cref="Child"/> null: notify) or one of our children (reap).</summary>
    private sealed record PidWatch(string Key, int Pid, SafeFdHandle Pidfd, ChildProcess? Child = null);
}
