using System.Threading.Channels;

namespace ProcessMaster.Daemon.Events;

/// <summary>
/// The queue between the journal and one slow sink (stderr, the log file): appending never waits; when the sink
/// falls <see cref="Capacity"/> lines behind, the oldest queued lines are dropped and counted, and the sink reports
/// the count (<see cref="DroppedNotice"/>) once it can write again.
/// </summary>
internal sealed class EventLineQueue
{
    private readonly Channel<string> _lines;
    private long _dropped;
    private long _droppedTotal;

    public EventLineQueue(int capacity = 10_000)
    {
        Capacity = capacity;
        _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        }, _ =>
        {
            Interlocked.Increment(ref _dropped);
            Interlocked.Increment(ref _droppedTotal);
        });
    }

    /// <summary>Lines queued before the oldest are dropped.</summary>
    public int Capacity { get; }

    /// <summary>Lines dropped since the start.</summary>
    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    /// <summary>The sink's side.</summary>
    public ChannelReader<string> Reader => _lines.Reader;

    /// <summary>Queues one line; never blocks.</summary>
    public void Append(string line) => _lines.Writer.TryWrite(line);

    /// <summary>No more lines; the sink finishes what is queued.</summary>
    public void Complete() => _lines.Writer.TryComplete();

    /// <summary>Lines dropped since the last call (0 when none).</summary>
    public long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    /// <summary>The line a sink writes before its next line after <paramref name="dropped"/> lines were dropped.</summary>
    public static string DroppedNotice(DateTimeOffset now, long dropped, string sink) =>
        new DaemonEvent(-1, now, "daemon", null,
            $"{dropped} event lines were not written to {sink}: it did not keep up (the last {dropped} before this line are missing here); " +
            "`pmctl events` and the other event outputs have them").ToLogLine();
}
