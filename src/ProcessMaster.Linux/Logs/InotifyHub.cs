using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// One inotify instance and one thread shared by every log follower (a per-follower instance would run into
/// <c>/proc/sys/fs/inotify/max_user_instances</c>, 128 by default, counted per user across the host). The thread
/// blocks in poll(2) on the inotify fd and a wake-up eventfd; it dispatches each event to the subscribers of its
/// watch descriptor, then tells every touched subscriber that the batch is complete. Subscribers run on this
/// thread and must not block. Work that must run on the thread (a subscriber's start and stop) is posted.
/// </summary>
public sealed class InotifyHub : IDisposable
{
    private readonly SafeFdHandle _inotify;
    private readonly WakeSignal _wake = new("log followers");
    private readonly Thread _thread;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, List<IInotifySubscriber>> _subscribers = [];
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly byte[] _events = new byte[64 * 1024];
    private volatile bool _stopping;

    public InotifyHub()
    {
        Errno errno = SafeFdHandle.Wrap(Libc.InotifyInit1(Libc.IN_CLOEXEC | Libc.IN_NONBLOCK), out _inotify);
        if (errno != Errno.None)
        {
            _wake.Dispose();
            throw new LinuxException("inotify_init1", errno, "log followers", "raise /proc/sys/fs/inotify/max_user_instances");
        }
        _thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "log followers" };
        _thread.Start();
    }

    /// <summary>True on the hub's own thread.</summary>
    public bool IsHubThread => Thread.CurrentThread == _thread;

    /// <summary>Watches <paramref name="path"/> (masks of several subscribers of one inode are combined) for <paramref name="subscriber"/>.</summary>
    internal int AddWatch(string path, uint mask, IInotifySubscriber subscriber)
    {
        lock (_lock)
        {
            int wd = Libc.InotifyAddWatch(_inotify, path, mask | IN_MASK_ADD);
            if (wd < 0)
            {
                var errno = (Errno)Marshal.GetLastPInvokeError();
                string? hint = errno == Errno.ENOSPC ? "raise /proc/sys/fs/inotify/max_user_watches" : null;
                throw new LinuxException("inotify_add_watch", errno, path, hint);
            }
            if (!_subscribers.TryGetValue(wd, out List<IInotifySubscriber>? list)) _subscribers[wd] = list = [];
            if (!list.Contains(subscriber)) list.Add(subscriber);
            return wd;
        }
    }

    /// <summary>Stops delivering <paramref name="wd"/>'s events to <paramref name="subscriber"/>; the last one removes the watch.</summary>
    internal void RemoveWatch(int wd, IInotifySubscriber subscriber)
    {
        lock (_lock)
        {
            if (!_subscribers.TryGetValue(wd, out List<IInotifySubscriber>? list)) return;
            list.Remove(subscriber);
            if (list.Count > 0) return;
            _subscribers.Remove(wd);
            _ = Libc.InotifyRmWatch(_inotify, wd);
        }
    }

    /// <summary>Runs <paramref name="work"/> on the hub thread.</summary>
    internal void Post(Action work)
    {
        _work.Enqueue(work);
        _wake.Set();
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        if (!IsHubThread) _thread.Join();
        _inotify.Dispose();
        _wake.Dispose();
    }

    private const uint IN_MASK_ADD = 0x20000000;

    private void Run()
    {
        while (!_stopping)
        {
            bool woken = _wake.Wait(_inotify, -1, out bool readable);
            if (woken)
            {
                _wake.Reset();
                while (_work.TryDequeue(out Action? work)) work();
            }
            if (readable) Dispatch();
        }
        while (_work.TryDequeue(out Action? work)) work();
    }

    private unsafe void Dispatch()
    {
        var touched = new HashSet<IInotifySubscriber>();
        while (true)
        {
            nint n;
            fixed (byte* buffer = _events) n = Libc.Read(_inotify, buffer, (nint)_events.Length);
            if (n <= 0) break;
            for (int i = 0; i < n;)
            {
                int wd = BitConverter.ToInt32(_events, i);
                uint mask = BitConverter.ToUInt32(_events, i + 4);
                int nameLength = BitConverter.ToInt32(_events, i + 12);
                string name = nameLength == 0 ? "" : Encoding.UTF8.GetString(_events, i + Libc.SizeOfInotifyEvent, nameLength).TrimEnd('\0');
                i += Libc.SizeOfInotifyEvent + nameLength;
                IInotifySubscriber[] targets;
                lock (_lock)
                {
                    if ((mask & Libc.IN_Q_OVERFLOW) != 0)
                        targets = [.. _subscribers.Values.SelectMany(l => l).Distinct()];
                    else if (_subscribers.TryGetValue(wd, out List<IInotifySubscriber>? list))
                        targets = [.. list];
                    else
                        targets = [];
                    if ((mask & Libc.IN_IGNORED) != 0) _subscribers.Remove(wd);
                }
                foreach (IInotifySubscriber target in targets)
                {
                    target.OnEvent(wd, mask, name);
                    touched.Add(target);
                }
            }
        }
        foreach (IInotifySubscriber subscriber in touched) subscriber.OnBatchEnd();
    }
}

/// <summary>Receives inotify events from an <see cref="InotifyHub"/>, on its thread.</summary>
internal interface IInotifySubscriber
{
    /// <summary>One event of a watch this subscriber added (wd -1 with IN_Q_OVERFLOW: events were lost).</summary>
    void OnEvent(int wd, uint mask, string name);

    /// <summary>Every event read in this round has been delivered.</summary>
    void OnBatchEnd();
}
