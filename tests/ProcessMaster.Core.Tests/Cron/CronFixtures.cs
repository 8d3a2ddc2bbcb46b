using System.Globalization;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Cron;

namespace ProcessMaster.Core.Tests.Cron;

/// <summary>Zones, schedules, windows and instants for the cron tests.</summary>
internal static class CronFixtures
{
    public static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static TimeZoneInfo Zone(string id) => id == "UTC" ? Utc : TimeZoneInfo.FindSystemTimeZoneById(id);

    public static Schedule ParseCron(string text)
    {
        Assert.True(Schedule.TryParse(text, out Schedule schedule, out string error), error);
        return schedule;
    }

    public static RunWindow Window(string? notBefore = null, string? notAfter = null)
    {
        LocalDateBound? lower = null, upper = null;
        if (notBefore is not null)
        {
            Assert.True(LocalDateBound.TryParseLower(notBefore, out LocalDateBound b, out string e), e);
            lower = b;
        }

        if (notAfter is not null)
        {
            Assert.True(LocalDateBound.TryParseUpper(notAfter, out LocalDateBound a, out string e), e);
            upper = a;
        }

        return new RunWindow(lower, upper);
    }

    public static CronPolicy Policy(string cron, string? notBefore = null, string? notAfter = null) =>
        new(ParseCron(cron), Window(notBefore, notAfter));

    /// <summary>An instant written with its offset, e.g. <c>2025-03-30T03:00:00+02:00</c>.</summary>
    public static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The local time in <paramref name="zone"/> rendered with its offset, for readable assertions.</summary>
    public static string Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
}
