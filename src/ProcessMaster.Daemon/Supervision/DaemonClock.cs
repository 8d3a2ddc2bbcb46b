using ProcessMaster.Core.Time;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// The only place the daemon reads the time. <see cref="Moment.Mono"/> is CLOCK_MONOTONIC (through
/// <see cref="TimeProvider.GetTimestamp"/>), which is the same for every process on one boot, so deadlines
/// persisted by one daemon stay valid for the next one.
/// </summary>
internal sealed class DaemonClock
{
    private readonly DateTimeOffset _wallAtStart;
    private readonly TimeSpan _monoAtStart;

    public DaemonClock(TimeProvider time)
    {
        Time = time;
        _monoAtStart = Mono();
        _wallAtStart = time.GetUtcNow();
    }

    /// <summary>The time source (also for timers).</summary>
    public TimeProvider Time { get; }

    /// <summary>Wall and monotonic time, read together.</summary>
    public Moment Now() => new(Time.GetUtcNow(), Mono());

    /// <summary>Monotonic time since boot.</summary>
    public TimeSpan Mono()
    {
        long timestamp = Time.GetTimestamp();
        return TimeSpan.FromTicks((long)((Int128)timestamp * TimeSpan.TicksPerSecond / Time.TimestampFrequency));
    }

    /// <summary>
    /// The wall time as the monotonic clock carries it on from the daemon's start: a step of the real-time clock (NTP,
    /// <c>date -s</c>) does not move it. For what counts a duration from a wall-clock stamp: a user flag's TTL expires
    /// after its length of real time, never early on a forward step nor late on a backward one (docs/reliability.md).
    /// </summary>
    public DateTimeOffset SteadyWall() => _wallAtStart + (Mono() - _monoAtStart);
}
