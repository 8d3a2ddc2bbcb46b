using System.Globalization;
using System.Text;

namespace ProcessMaster.Core.Time;

/// <summary>Short operator-facing renderings of durations: <c>250ms</c>, <c>1s</c>, <c>1.5s</c>, <c>3m</c>, <c>1h30m</c>.</summary>
public static class DurationText
{
    /// <summary>Formats <paramref name="duration"/> with the largest whole units, milliseconds as a fraction of a second.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) return "-" + Format(-duration);
        if (duration < TimeSpan.FromSeconds(1)) return $"{(long)duration.TotalMilliseconds}ms";
        var text = new StringBuilder();
        if (duration.Days > 0) text.Append(CultureInfo.InvariantCulture, $"{duration.Days}d");
        if (duration.Hours > 0) text.Append(CultureInfo.InvariantCulture, $"{duration.Hours}h");
        if (duration.Minutes > 0) text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        double seconds = duration.Seconds + duration.Milliseconds / 1000.0;
        if (seconds > 0) text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }
}
