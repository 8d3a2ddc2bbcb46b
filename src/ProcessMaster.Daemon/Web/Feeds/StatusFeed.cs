using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Web.Feeds;

/// <summary>
/// Live status for open console pages, pushed on change: the supervision loop and the journal signal "something
/// changed"; while at least one page listens, one status snapshot is taken <see cref="Coalesce"/> later (however many
/// signals came in between) and sent to every page. Nothing runs while no page is open, and nothing runs on a timer
/// while nothing changes.
/// </summary>
internal sealed class StatusFeed : IDisposable
{
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(150);

    private readonly Func<CancellationToken, Task<StatusResult>> _read;
    private readonly Action<string> _fault;
    private readonly Broadcast<StatusResult> _pages = new(2);
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _stop = new();
    private int _pending;

    public StatusFeed(Func<CancellationToken, Task<StatusResult>> read, TimeProvider time, Action<string> fault)
    {
        _read = read;
        _fault = fault;
        _timer = time.CreateTimer(_ => _ = PublishAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The last snapshot sent (null before the first).</summary>
    public StatusResult? Latest { get; private set; }

    /// <summary>Something may have changed. Cheap and non-blocking: safe on the loop thread and in journal sinks.</summary>
    public void Signal()
    {
        if (_pages.Count == 0 || Interlocked.Exchange(ref _pending, 1) == 1) return;
        _timer.Change(Coalesce, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Opens a page's queue; the page gets a fresh snapshot at once.</summary>
    public Broadcast<StatusResult>.Subscription Subscribe()
    {
        Broadcast<StatusResult>.Subscription subscription = _pages.Subscribe();
        Signal();
        return subscription;
    }

    private async Task PublishAsync()
    {
        Volatile.Write(ref _pending, 0);
        if (_pages.Count == 0 || _stop.IsCancellationRequested) return;
        try
        {
            StatusResult status = await _read(_stop.Token).ConfigureAwait(false);
            Latest = status;
            _pages.Publish(status);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception e) when (e is Rpc.RpcException or IOException or InvalidOperationException)
        {
            _fault($"live status: {e.Message}; open pages keep their last status until the next change");
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _timer.Dispose();
        _stop.Dispose();
    }
}
