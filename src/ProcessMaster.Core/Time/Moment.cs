namespace ProcessMaster.Core.Time;

/// <summary>
/// A point in time read once by the shell and passed into Core, which never reads a clock
/// (cf. systemd's <c>dual_timestamp</c>). <see cref="Wall"/> is the wall clock (shown to operators,
/// used by cron and by persisted expiries); <see cref="Mono"/> is a monotonic reading (timeouts,
/// backoff, tolerance windows), immune to clock steps.
/// </summary>
/// <param name="Wall">Wall-clock time.</param>
/// <param name="Mono">Monotonic time since an arbitrary origin fixed by the shell (e.g. boot).</param>
public readonly record struct Moment(DateTimeOffset Wall, TimeSpan Mono)
{
    /// <summary>The same instant shifted by <paramref name="delta"/> on both clocks.</summary>
    public Moment Add(TimeSpan delta) => new(Wall + delta, Mono + delta);

    /// <summary>Monotonic time elapsed from <paramref name="earlier"/> to this moment.</summary>
    public TimeSpan Since(Moment earlier) => Mono - earlier.Mono;

    /// <inheritdoc/>
    public override string ToString() => $"{Wall:O} (mono {Mono.TotalMilliseconds:0}ms)";
}
