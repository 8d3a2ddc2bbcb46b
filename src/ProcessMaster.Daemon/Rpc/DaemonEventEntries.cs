using System.Globalization;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>Maps journal events onto the wire shape of <c>events</c>.</summary>
internal static class DaemonEventEntries
{
    /// <summary>The original's <c>ts</c> format (daemon-local time).</summary>
    public const string TimestampFormat = "yyyy-MM-dd_HH:mm:ss.fff";

    /// <summary>The wire entry of one event, <c>ts</c> in <paramref name="zone"/> (default: the daemon's local zone).</summary>
    public static EventEntry ToEntry(this DaemonEvent e, TimeZoneInfo? zone = null) => new()
    {
        Ts = TimeZoneInfo.ConvertTime(e.Time, zone ?? TimeZoneInfo.Local).ToString(TimestampFormat, CultureInfo.InvariantCulture),
        Component = e.Component,
        App = e.App,
        Message = e.Message,
        Seq = e.Sequence,
        TimeMs = e.Time.ToUnixTimeMilliseconds(),
    };

    /// <summary>The <c>events</c> result of journal events (already filtered and counted).</summary>
    public static EventsResult ToResult(this IEnumerable<DaemonEvent> events, TimeZoneInfo? zone = null) =>
        new() { Events = [.. events.Select(e => e.ToEntry(zone))] };
}
