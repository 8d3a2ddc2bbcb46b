using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Cron;

/// <summary>
/// The window in which a job may run: <c>process.not_before</c> and <c>process.not_after</c>, both local
/// wall-clock times, turned into instants with the zone the caller passes (Core never reads the local zone).
/// Both ends are inclusive; a date-only <c>not_after</c> already means 23:59:59.999 of that day
/// (<see cref="LocalDateBound"/>).
/// </summary>
/// <param name="NotBefore">No occurrence before this local time; null = unbounded.</param>
/// <param name="NotAfter">No occurrence after this local time; null = unbounded.</param>
public readonly record struct RunWindow(LocalDateBound? NotBefore, LocalDateBound? NotAfter)
{
    /// <summary>No bounds: every occurrence of the schedule counts.</summary>
    public static RunWindow Unbounded => default;

    /// <summary>The first instant of the window in <paramref name="zone"/>, or null when unbounded below.</summary>
    public DateTimeOffset? Start(TimeZoneInfo zone) => NotBefore?.ToInstant(zone).ToUniversalTime();

    /// <summary>The last instant of the window in <paramref name="zone"/> (inclusive), or null when unbounded above.</summary>
    public DateTimeOffset? End(TimeZoneInfo zone) => NotAfter?.ToInstant(zone).ToUniversalTime();

    /// <summary>True when <paramref name="instant"/> lies inside the window (both ends inclusive).</summary>
    public bool Contains(DateTimeOffset instant, TimeZoneInfo zone) =>
        (Start(zone) is not { } start || instant >= start) && (End(zone) is not { } end || instant <= end);
}
