using System.Collections.Concurrent;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// The threads spawns run on. A spawn blocks its thread until the child has exec'd (CLONE_VFORK), so spawns never
/// run on the thread pool: a burst of them (1000 services at boot) would occupy every pool thread and queue the
/// supervision loop's own continuations behind them. Threads start on demand, when a spawn finds none waiting, up to
/// <see cref="Count"/>, and then stay: a daemon that never spawns runs none, and 1000 services no more than a handful.
/// </summary>
internal sealed class SpawnThreads : IDisposable
{
    /// <summary>Spawns running at once.</summary>
    public const int Count = 4;

    private readonly BlockingCollection<Action> _queue = new();
    private readonly List<Thread> _threads = new(Count);
    private int _waiting;

    /// <summary>Threads started so far (at most <see cref="Count"/>).</summary>
    public int Started
    {
        get
        {
            lock (_threads) return _threads.Count;
        }
    }

    /// <summary>Runs <paramref name="spawn"/> on a spawn thread; false once disposed (not run).</summary>
    public bool Queue(Action spawn)
    {
        try
        {
            _queue.Add(spawn);
            lock (_threads)
            {
                if (Volatile.Read(ref _waiting) == 0 && _threads.Count < Count)
                {
                    var thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "spawn" };
                    _threads.Add(thread);
                    thread.Start();
                }
            }
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        Thread[] threads;
        lock (_threads) threads = [.. _threads];
        foreach (Thread thread in threads) thread.Join();
        _queue.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            Interlocked.Increment(ref _waiting);
            bool took;
            Action? spawn;
            try
            {
                took = _queue.TryTake(out spawn, Timeout.Infinite);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
            if (!took) return; // completed and empty
            spawn!();
        }
    }
}
