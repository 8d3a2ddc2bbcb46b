using System.Globalization;

namespace ProcessMaster.Cli.Rendering;

/// <summary>Epoch milliseconds as the original printed them: local <c>yyyy-MM-dd_HH:mm:ss.fff</c>.</summary>
internal static class LocalTime
{
    public static string Format(long? epochMs, TimeZoneInfo zone) =>
        epochMs is long ms
            ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("yyyy-MM-dd_HH:mm:ss.fff", CultureInfo.InvariantCulture)
            : "-";
}
