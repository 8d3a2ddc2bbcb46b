using System.Globalization;

namespace ProcessMaster.Cli.Rendering;

/// <summary>The status table's uptime: <c>2d03h</c>, <c>1h02m</c>, <c>5m07s</c>, <c>42s</c>, <c>-</c> when unknown.</summary>
internal static class Uptime
{
    public static string Format(long milliseconds)
    {
        if (milliseconds < 0) return "-";
        long seconds = (milliseconds + 500) / 1000;
        IFormatProvider c = CultureInfo.InvariantCulture;
        if (seconds >= 86_400) return string.Create(c, $"{seconds / 86_400}d{seconds % 86_400 / 3600:00}h");
        if (seconds >= 3600) return string.Create(c, $"{seconds / 3600}h{seconds % 3600 / 60:00}m");
        if (seconds >= 60) return string.Create(c, $"{seconds / 60}m{seconds % 60:00}s");
        return string.Create(c, $"{seconds}s");
    }
}
