namespace ProcessMaster.Linux.Logs;

/// <summary>
/// A small, bounded set of threads for the slow parts of log capture: opening and rotating log files (urgent: a
/// stream waits for it) and gzip (background: nobody waits). Threads start on demand up to the bound and then
/// stay, so the daemon's thread count does not grow with the number of services.
/// </summary>
public sealed class LogWorkerPool : IDisposable
{
    /// <summary>Default bound: two threads (one can gzip a large file while the other rotates).</summary>
    public const int DefaultThreads = 2;

    private readonly Queue<LogWork> _urgent = new();
    private readonly Queue<LogWork> _background = new();
    private readonly List<Thread> _threads = [];
    private readonly object _lock = new();
    private readonly int _bound;
    private int _idle;
    private int _pending;
    private bool _stopping;

    /// <param name="threads">Most threads the pool runs at once.</param>
    public LogWorkerPool(int threads = DefaultThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _bound = threads;
    }

    /// <summary>Jobs queued or running.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Threads started so far (at most the bound).</summary>
    public int Threads
    {
        get
        {
            lock (_lock) return _threads.Count;
        }
    }

    /// <summary>Waits until no job is queued or running; false on timeout.</summary>
    public bool WaitIdle(TimeSpan timeout) => SpinWait.SpinUntil(() => Pending == 0, timeout);

    /// <summary>Queues <paramref name="work"/>; urgent jobs run before any background job. After <see cref="Dispose"/> the job is dropped at once.</summary>
    internal void Queue(LogWork work, bool urgent)
    {
        lock (_lock)
        {
            if (!_stopping)
            {
                Interlocked.Increment(ref _pending);
                (urgent ? _urgent : _background).Enqueue(work);
                if (_idle > 0) Monitor.Pulse(_lock);
                else if (_threads.Count < _bound) StartThread();
                return;
            }
        }
        work.Drop();
    }

    /// <summary>Stops after the jobs in progress; queued jobs are dropped (each told through its <see cref="LogWork.Drop"/>).</summary>
    public void Dispose()
    {
        Thread[] threads;
        lock (_lock)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_lock);
            threads = [.. _threads];
        }
        foreach (Thread thread in threads)
            if (thread != Thread.CurrentThread) thread.Join();
        lock (_lock)
        {
            foreach (LogWork work in _urgent.Concat(_background)) Drop(work);
            _urgent.Clear();
            _background.Clear();
        }
    }

    private void StartThread()
    {
        var thread = new Thread(Work, maxStackSize: 256 * 1024) { IsBackground = true, Name = "log worker" };
        _threads.Add(thread);
        thread.Start();
    }

    private void Work()
    {
        while (true)
        {
            LogWork work;
            lock (_lock)
            {
                while (!_stopping && _urgent.Count == 0 && _background.Count == 0)
                {
                    _idle++;
                    Monitor.Wait(_lock);
                    _idle--;
                }
                if (_stopping) return;
                work = _urgent.Count > 0 ? _urgent.Dequeue() : _background.Dequeue();
            }
            try
            {
                work.Run();
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private void Drop(LogWork work)
    {
        try
        {
            work.Drop();
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }
}
