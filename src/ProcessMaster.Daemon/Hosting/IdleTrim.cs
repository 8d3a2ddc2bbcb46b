using ProcessMaster.Linux.Procfs;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// Gives memory back once the daemon goes quiet (docs/performance.md, "Memory"). An idle daemon never collects garbage,
/// so whatever a burst of work left (boot, a reload, a `start all`, a run of status calls) would stay committed, and the
/// code pages start-up touched would stay mapped. <see cref="Quiet"/> after the last sign of activity, and at most once
/// per <see cref="MinInterval"/>, one compacting collection that decommits what it frees
/// (<see cref="GCCollectionMode.Aggressive"/>) and an unmapping of the clean file pages (<see cref="FilePageTrim"/>).
/// One one-shot timer, re-armed by activity: nothing wakes while nothing happens.
/// </summary>
internal sealed class IdleTrim : IDisposable
{
    /// <summary>How long the daemon must have been quiet.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    /// <summary>The least time between two trims (a service crash-looping with a long backoff must not trim every cycle).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly Action _trim;
    private readonly ITimer _timer;
    private long _lastTrim;
    private bool _trimmed;

    /// <param name="trim">What a trim does (tests count it); <see cref="TrimNow"/> in the daemon.</param>
    public IdleTrim(TimeProvider time, Action? trim = null)
    {
        _time = time;
        _trim = trim ?? TrimNow;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Something happened: trim <see cref="Quiet"/> after the last call. Cheap; any thread.</summary>
    public void Poke() => _timer.Change(Quiet, Timeout.InfiniteTimeSpan);

    /// <summary>One compacting, decommitting collection and the file page trim.</summary>
    public static void TrimNow()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        FilePageTrim.DropCleanFileMappings();
    }

    public void Dispose() => _timer.Dispose();

    private void Fire()
    {
        long now = _time.GetTimestamp();
        if (Volatile.Read(ref _trimmed))
        {
            TimeSpan wait = MinInterval - _time.GetElapsedTime(Interlocked.Read(ref _lastTrim), now);
            if (wait > TimeSpan.Zero)
            {
                _timer.Change(wait, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        Interlocked.Exchange(ref _lastTrim, now);
        Volatile.Write(ref _trimmed, true);
        _trim();
    }
}
