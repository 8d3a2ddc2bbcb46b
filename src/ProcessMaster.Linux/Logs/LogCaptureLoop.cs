using System.Runtime.InteropServices;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// One thread drives every <see cref="LogCapture"/>: it blocks in epoll_wait(2) on all FIFOs, a wake-up eventfd
/// and the earliest capture deadline (time rotation, retry after a problem), and moves bytes with non-blocking
/// splice(2). Opening and rotating log files and gzip run on a small <see cref="LogWorkerPool"/>; a stream waits
/// (its FIFO is not read) while its file is being opened or rotated, so no byte can land in the wrong file.
/// The daemon's thread count is the same for 1 service and for 1000.
/// <para>Level-triggered: a FIFO that still holds data after one chunk is reported again, so one busy stream moves
/// at most one chunk per turn and never starves the others.</para>
/// </summary>
public sealed partial class LogCaptureLoop : IDisposable
{
    private const int MaxEvents = 128;
    private const ulong WakeId = 0;

    private readonly SafeFdHandle _epoll;
    private readonly WakeSignal _wake = new("log capture");
    private readonly Queue<Action> _inbox = new();
    private readonly object _inboxLock = new();
    private readonly Dictionary<ulong, LogCapture> _attached = [];
    private readonly PriorityQueue<(LogCapture Capture, long Token), long> _timers = new();
    private readonly LogWorkerPool _workers;
    private readonly bool _ownsWorkers;
    private readonly Thread _thread;
    private ulong _nextId = WakeId + 1;
    private int _count;
    private bool _closed;

    /// <summary>Starts the loop thread.</summary>
    /// <param name="workers">The pool for opening, rotation and gzip; null creates one the loop owns.</param>
    public LogCaptureLoop(LogWorkerPool? workers = null)
    {
        _ownsWorkers = workers is null;
        _workers = workers ?? new LogWorkerPool();
        int epfd = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
        _epoll = SafeFdHandle.FromResult(epfd, "epoll_create1", "log capture");
        Control(Libc.EPOLL_CTL_ADD, _wake.Handle, Libc.EPOLLIN, WakeId);
        _thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "log capture" };
        _thread.Start();
    }

    /// <summary>The pool that opens, rotates and compresses.</summary>
    public LogWorkerPool Workers => _workers;

    /// <summary>The log directories the captures hold open, one descriptor per directory.</summary>
    internal LogDirectoryTable Directories { get; } = new();

    /// <summary>Log directories held open now (one descriptor each, shared by every stream writing there).</summary>
    public int DirectoriesHeld => Directories.Count;

    /// <summary>Captures attached now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>One buffer for peeking at a FIFO's next line (only the loop thread peeks).</summary>
    internal byte[] PeekBuffer { get; } = new byte[LogCapture.PeekBytes];

    internal bool OnLoopThread => Thread.CurrentThread == _thread;

    /// <summary>
    /// Starts capturing <paramref name="fifo"/> (which must outlive the capture). <paramref name="report"/> is called
    /// on the loop or a worker thread and must return quickly (post to a channel). Leftovers of an earlier daemon
    /// (uncompressed backups, half-written .gz temporaries) are compressed or removed.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The loop was disposed.</exception>
    public LogCapture Start(LogFifo fifo, LogCaptureOptions options, Action<LogCaptureEvent> report)
    {
        var capture = new LogCapture(this, fifo, options, report);
        ObjectDisposedException.ThrowIf(!Post(() => Attach(capture)), this);
        return capture;
    }

    /// <summary>Runs <paramref name="work"/> on the loop thread; false (and not run) once the loop is closed.</summary>
    internal bool Post(Action work)
    {
        lock (_inboxLock)
        {
            if (_closed) return false;
            _inbox.Enqueue(work);
        }
        _wake.Set();
        return true;
    }

    /// <summary>
    /// Removes <paramref name="capture"/> from the loop and returns once the loop no longer touches it (called by
    /// <see cref="LogCapture.Dispose"/>, from any thread).
    /// </summary>
    internal void Detach(LogCapture capture)
    {
        if (OnLoopThread)
        {
            DetachNow(capture);
            return;
        }
        using var done = new ManualResetEventSlim();
        if (Post(() =>
            {
                DetachNow(capture);
                done.Set();
            }))
            done.Wait();
    }

    /// <summary>
    /// Re-arms <paramref name="capture"/> after its state changed: read its FIFO only while it can write or discard,
    /// and wake at its next deadline.
    /// </summary>
    internal void Sync(LogCapture capture)
    {
        if (capture.LoopId == 0) return;
        bool want = capture.WantsFifo;
        if (want != capture.Armed)
        {
            Control(Libc.EPOLL_CTL_MOD, capture.Fifo.Handle, want ? Libc.EPOLLIN : 0, capture.LoopId);
            capture.Armed = want;
        }
        int ms = capture.TimeoutMs();
        long due = ms < 0 ? long.MaxValue : Environment.TickCount64 + ms;
        // Rounding moves a deadline by a millisecond from one turn to the next: keep the queued entry then.
        if (Math.Abs(due - capture.TimerDue) <= 2) return;
        capture.TimerToken++;
        capture.TimerDue = due;
        if (ms >= 0) _timers.Enqueue((capture, capture.TimerToken), due);
    }

    /// <summary>Stops the thread. Captures still attached stop reading (every unread byte stays in its FIFO).</summary>
    public void Dispose()
    {
        lock (_inboxLock)
        {
            if (_closed) return;
            _closed = true;
        }
        _wake.Set();
        if (!OnLoopThread) _thread.Join();
        foreach (LogCapture capture in _attached.Values.ToArray()) DetachNow(capture);
        if (_ownsWorkers) _workers.Dispose();
        _epoll.Dispose();
        _wake.Dispose();
        DisposeScratch();
    }

    private void Attach(LogCapture capture)
    {
        ulong id = _nextId++;
        bool added = false;
        capture.Fifo.Handle.DangerousAddRef(ref added);
        Errno errno = TryControl(Libc.EPOLL_CTL_ADD, capture.Fifo.Handle, 0, id);
        if (errno != Errno.None)
        {
            capture.Fifo.Handle.DangerousRelease();
            capture.Detached = true;
            capture.ReportAttachFailed(LinuxException.Describe(errno));
            return;
        }
        capture.LoopId = id;
        capture.Armed = false;
        _attached.Add(id, capture);
        Interlocked.Increment(ref _count);
        capture.Begin();
        Sync(capture);
    }

    private void DetachNow(LogCapture capture)
    {
        capture.Detached = true;
        if (capture.LoopId == 0 || !_attached.Remove(capture.LoopId)) return;
        capture.LoopId = 0;
        capture.TimerToken++;
        Interlocked.Decrement(ref _count);
        if (!_epoll.IsClosed) _ = TryControl(Libc.EPOLL_CTL_DEL, capture.Fifo.Handle, 0, 0);
        capture.Fifo.Handle.DangerousRelease();
    }

    private void Run()
    {
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            Environment.FailFast("processmaster: the log capture loop failed; service output would no longer be captured", e);
        }
    }

    private unsafe void Loop()
    {
        Libc.EpollEvent* events = stackalloc Libc.EpollEvent[MaxEvents];
        int epfd = _epoll.Fd;
        while (true)
        {
            if (RunInbox()) return;
            int n = Libc.EpollWait(epfd, events, MaxEvents, NextTimeout());
            if (n < 0)
            {
                var errno = (Errno)Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR) continue;
                throw new LinuxException("epoll_wait", errno, "log capture");
            }
            for (int i = 0; i < n; i++)
            {
                ulong id = events[i].Data;
                if (id == WakeId)
                {
                    _wake.Reset();
                    continue;
                }
                if (!_attached.TryGetValue(id, out LogCapture? capture)) continue;
                capture.Step(readable: true);
                Sync(capture);
            }
            RunDueTimers();
        }
    }

    /// <summary>Runs what other threads posted; true once the loop is closed and nothing is left to run.</summary>
    private bool RunInbox()
    {
        while (true)
        {
            Action work;
            lock (_inboxLock)
            {
                if (!_inbox.TryDequeue(out work!)) return _closed;
            }
            work();
        }
    }

    private int NextTimeout()
    {
        while (_timers.TryPeek(out (LogCapture Capture, long Token) entry, out long due))
        {
            if (!IsCurrent(entry))
            {
                _timers.Dequeue();
                continue;
            }
            long ms = due - Environment.TickCount64;
            return ms <= 0 ? 0 : (int)Math.Min(ms, int.MaxValue);
        }
        return -1;
    }

    private void RunDueTimers()
    {
        long now = Environment.TickCount64;
        while (_timers.TryPeek(out (LogCapture Capture, long Token) entry, out long due) && due <= now)
        {
            _timers.Dequeue();
            if (!IsCurrent(entry)) continue;
            entry.Capture.TimerDue = long.MaxValue;
            entry.Capture.Step(readable: false);
            Sync(entry.Capture);
        }
    }

    private static bool IsCurrent((LogCapture Capture, long Token) entry) =>
        entry.Capture.LoopId != 0 && entry.Capture.TimerToken == entry.Token;

    private unsafe void Control(int op, SafeFdHandle fd, uint events, ulong id)
    {
        Errno errno = TryControl(op, fd, events, id);
        if (errno != Errno.None) throw new LinuxException("epoll_ctl", errno, "log capture");
    }

    private unsafe Errno TryControl(int op, SafeFdHandle fd, uint events, ulong id)
    {
        var ev = new Libc.EpollEvent { Events = events, Data = id };
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            return Libc.EpollCtl(_epoll.Fd, op, fd.Fd, &ev) == 0 ? Errno.None : (Errno)Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
    }
}
