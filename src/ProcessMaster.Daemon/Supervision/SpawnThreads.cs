using System.Collections.Concurrent;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// The threads spawns run on. A spawn blocks its thread until the child has exec'd (CLONE_VFORK), so spawns never
/// run on the thread pool: a burst of them (1000 services at boot) would occupy every pool thread and queue the
/// supervision loop's own continuations behind them.
/// </summary>
internal sealed class SpawnThreads : IDisposable
{
    /// <summary>Spawns running at once.</summary>
    public const int Count = 4;

    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread[] _threads = new Thread[Count];

    public SpawnThreads()
    {
        for (int i = 0; i < Count; i++)
        {
            _threads[i] = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "spawn" };
            _threads[i].Start();
        }
    }

    /// <summary>Runs <paramref name="spawn"/> on a spawn thread; false once disposed (not run).</summary>
    public bool Queue(Action spawn)
    {
        try
        {
            _queue.Add(spawn);
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
        foreach (Thread thread in _threads) thread.Join();
        _queue.Dispose();
    }

    private void Run()
    {
        foreach (Action spawn in _queue.GetConsumingEnumerable()) spawn();
    }
}
