using System.Threading.Channels;

namespace ProcessMaster.Daemon.Web.Feeds;

/// <summary>
/// Fan-out of one kind of message to the open streams. Each subscriber has its own small queue; a subscriber that reads
/// too slowly loses its oldest queued messages (the newest state always arrives), and never slows the publisher.
/// </summary>
internal sealed class Broadcast<T>(int queueLength)
{
    private readonly Lock _lock = new();
    private readonly List<Channel<T>> _subscribers = [];

    /// <summary>Raised (outside the lock) when the number of subscribers goes from 0 to 1 or from 1 to 0.</summary>
    public event Action<bool>? ActiveChanged;

    public int Count
    {
        get
        {
            lock (_lock) return _subscribers.Count;
        }
    }

    /// <summary>Opens a queue; dispose the subscription to close it.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(queueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        bool first;
        lock (_lock)
        {
            _subscribers.Add(channel);
            first = _subscribers.Count == 1;
        }
        if (first) ActiveChanged?.Invoke(true);
        return new Subscription(this, channel);
    }

    public void Publish(T message)
    {
        lock (_lock)
        {
            foreach (Channel<T> channel in _subscribers) channel.Writer.TryWrite(message);
        }
    }

    private void Remove(Channel<T> channel)
    {
        bool last;
        lock (_lock)
        {
            if (!_subscribers.Remove(channel)) return;
            last = _subscribers.Count == 0;
        }
        channel.Writer.TryComplete();
        if (last) ActiveChanged?.Invoke(false);
    }

    /// <summary>One open stream's queue.</summary>
    internal sealed class Subscription(Broadcast<T> owner, Channel<T> channel) : IDisposable
    {
        public ChannelReader<T> Reader => channel.Reader;

        public void Dispose() => owner.Remove(channel);
    }
}
