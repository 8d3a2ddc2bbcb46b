namespace ProcessMaster.Protocol.Framing;

/// <summary>
/// A stream that can wait for input with a time limit itself (pmctl's blocking socket polls anyway). <see cref="LineReader"/>
/// then reads through it instead of arming a <see cref="CancellationTokenSource"/> timer per read: the first such timer
/// starts the runtime's timer thread, start-up time in every pmctl call (docs/performance.md, "Third round").
/// </summary>
public interface ITimedReadStream
{
    /// <summary>Reads into <paramref name="buffer"/>; null when nothing arrived within <paramref name="wait"/> (<see cref="Timeout.InfiniteTimeSpan"/>: no limit); 0 at EOF.</summary>
    ValueTask<int?> ReadAsync(Memory<byte> buffer, TimeSpan wait, CancellationToken cancellationToken);
}
