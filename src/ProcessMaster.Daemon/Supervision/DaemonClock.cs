using ProcessMaster.Core.Time;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// The only place the daemon reads the time. <see cref="Moment.Mono"/> is CLOCK_MONOTONIC (through
/// <see cref="TimeProvider.GetTimestamp"/>), which is the same for every process on one boot, so deadlines
/// persisted by one daemon stay valid for the next one.
/// </summary>
internal sealed class DaemonClock(TimeProvider time)
{
    /// <summary>The time source (also for timers).</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Wall and monotonic time, read together.</summary>
    public Moment Now() => new(Time.GetUtcNow(), Mono());

    /// <summary>Monotonic time since boot.</summary>
    public TimeSpan Mono()
    {
        long timestamp = Time.GetTimestamp();
        return TimeSpan.FromTicks((long)((Int128)timestamp * TimeSpan.TicksPerSecond / Time.TimestampFrequency));
    }
}
