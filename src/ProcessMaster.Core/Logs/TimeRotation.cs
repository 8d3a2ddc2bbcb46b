using System.Globalization;

namespace ProcessMaster.Core.Logs;

/// <summary>
/// Time-mode rotation decisions in local time. A bucket is the local-time period (minute, hour, day, ISO
/// week, month) that one file covers; it is identified by the instant it began. Rules at DST changes:
/// a day is one bucket whatever its length; a repeated wall-clock hour (fall back) is a bucket of its own;
/// a bucket whose local start time does not exist (spring forward over midnight) begins at the transition.
/// The caller passes the time and the zone; nothing here reads a clock.
/// </summary>
public static class TimeRotation
{
    private const string StampFormat = "yyyy-MM-dd_HH-mm";

    /// <summary>The instant the bucket holding <paramref name="now"/> began; null when <paramref name="frequency"/> is None.</summary>
    public static DateTimeOffset? BucketStart(DateTimeOffset now, RotationFrequency frequency, TimeZoneInfo zone)
    {
        if (frequency == RotationFrequency.None) return null;
        DateTimeOffset local = TimeZoneInfo.ConvertTime(now, zone);
        DateTime wall = Truncate(local.DateTime, frequency);
        if (!IsSubDay(frequency)) return WallToInstant(wall, zone);
        var candidate = new DateTimeOffset(wall, local.Offset);
        if (zone.GetUtcOffset(candidate) == local.Offset) return TimeZoneInfo.ConvertTime(candidate, zone);
        // The offset changed inside this minute or hour: the bucket began at that transition.
        return TimeZoneInfo.ConvertTime(FirstInstant(candidate, now, t => zone.GetUtcOffset(t) == local.Offset), zone);
    }

    /// <summary>The first instant after <paramref name="now"/> that is in a later bucket; null when None.</summary>
    public static DateTimeOffset? NextBoundary(DateTimeOffset now, RotationFrequency frequency, TimeZoneInfo zone)
    {
        if (frequency == RotationFrequency.None) return null;
        DateTimeOffset local = TimeZoneInfo.ConvertTime(now, zone);
        DateTime next = Advance(Truncate(local.DateTime, frequency), frequency);
        if (!IsSubDay(frequency)) return WallToInstant(next, zone);
        var candidate = new DateTimeOffset(next, local.Offset);
        if (zone.GetUtcOffset(candidate.AddTicks(-1)) == local.Offset) return TimeZoneInfo.ConvertTime(candidate, zone);
        return TimeZoneInfo.ConvertTime(FirstInstant(now, candidate, t => zone.GetUtcOffset(t) != local.Offset), zone);
    }

    /// <summary>
    /// True when data arriving at <paramref name="now"/> belongs to a later bucket than the file's
    /// (<paramref name="fileBucketStart"/>). A clock that went backwards, or a fall-back over midnight,
    /// never rotates into an earlier bucket.
    /// </summary>
    public static bool IsDue(DateTimeOffset fileBucketStart, DateTimeOffset now, RotationFrequency frequency, TimeZoneInfo zone) =>
        BucketStart(now, frequency, zone) is { } current && current > fileBucketStart;

    /// <summary>
    /// The name a rotated file gets: <c>base.yyyy-MM-dd_HH-mm</c> (the local start of the bucket it
    /// holds), with <c>-2</c>, <c>-3</c> … appended for <paramref name="attempt"/> above 1 (a repeated hour).
    /// </summary>
    public static string RotatedName(string baseName, DateTimeOffset bucketStart, TimeZoneInfo zone, int attempt = 1)
    {
        string stamp = TimeZoneInfo.ConvertTime(bucketStart, zone).ToString(StampFormat, CultureInfo.InvariantCulture);
        return attempt <= 1
            ? $"{baseName}.{stamp}"
            : string.Create(CultureInfo.InvariantCulture, $"{baseName}.{stamp}-{attempt}");
    }

    /// <summary>True for names <see cref="RotatedName"/> produces, with or without <c>.gz</c>.</summary>
    public static bool IsRotatedName(string name, string baseName)
    {
        if (!name.StartsWith(baseName + ".", StringComparison.Ordinal)) return false;
        ReadOnlySpan<char> rest = name.AsSpan(baseName.Length + 1);
        if (rest.EndsWith(".gz", StringComparison.Ordinal)) rest = rest[..^3];
        if (rest.Length < StampFormat.Length) return false;
        if (!DateTime.TryParseExact(rest[..StampFormat.Length], StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return false;
        ReadOnlySpan<char> suffix = rest[StampFormat.Length..];
        if (suffix.Length == 0) return true;
        if (suffix[0] != '-' || suffix.Length == 1) return false;
        foreach (char c in suffix[1..])
            if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>
    /// Rotated files of <paramref name="baseName"/> whose last write is older than <paramref name="maxAge"/>
    /// before <paramref name="now"/>. A zero age keeps everything; the live file and unrelated names are never returned.
    /// </summary>
    public static IReadOnlyList<string> Expired(IEnumerable<LogFileEntry> entries, string baseName, DateTimeOffset now, TimeSpan maxAge)
    {
        var expired = new List<string>();
        if (maxAge <= TimeSpan.Zero) return expired;
        DateTimeOffset cutoff = now - maxAge;
        foreach (LogFileEntry entry in entries)
            if (entry.LastWrite < cutoff && IsRotatedName(entry.Name, baseName)) expired.Add(entry.Name);
        return expired;
    }

    /// <summary>
    /// The earliest instant whose local wall time is <paramref name="wall"/>, or, when that wall time does not
    /// exist (DST gap), the first instant after the gap.
    /// </summary>
    public static DateTimeOffset WallToInstant(DateTime wall, TimeZoneInfo zone)
    {
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(wall))
            return TimeZoneInfo.ConvertTime(new DateTimeOffset(wall, zone.GetAmbiguousTimeOffsets(wall).Max()), zone);
        if (!zone.IsInvalidTime(wall)) return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
        // UTC offsets lie within -12h … +14h, so local time is below the wall 15h before and above it 13h after.
        var low = new DateTimeOffset(wall.AddHours(-15), TimeSpan.Zero);
        var high = new DateTimeOffset(wall.AddHours(13), TimeSpan.Zero);
        return TimeZoneInfo.ConvertTime(FirstInstant(low, high, t => TimeZoneInfo.ConvertTime(t, zone).DateTime >= wall), zone);
    }

    private static bool IsSubDay(RotationFrequency frequency) =>
        frequency is RotationFrequency.Minutely or RotationFrequency.Hourly;

    private static DateTime Truncate(DateTime wall, RotationFrequency frequency) => frequency switch
    {
        RotationFrequency.Minutely => new DateTime(wall.Year, wall.Month, wall.Day, wall.Hour, wall.Minute, 0),
        RotationFrequency.Hourly => new DateTime(wall.Year, wall.Month, wall.Day, wall.Hour, 0, 0),
        RotationFrequency.Daily => wall.Date,
        RotationFrequency.Weekly => wall.Date.AddDays(-(((int)wall.DayOfWeek + 6) % 7)),
        RotationFrequency.Monthly => new DateTime(wall.Year, wall.Month, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "no bucket for this frequency"),
    };

    private static DateTime Advance(DateTime bucketWall, RotationFrequency frequency) => frequency switch
    {
        RotationFrequency.Minutely => bucketWall.AddMinutes(1),
        RotationFrequency.Hourly => bucketWall.AddHours(1),
        RotationFrequency.Daily => bucketWall.AddDays(1),
        RotationFrequency.Weekly => bucketWall.AddDays(7),
        RotationFrequency.Monthly => bucketWall.AddMonths(1),
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "no bucket for this frequency"),
    };

    /// <summary>Binary search, to the second, for the first instant in (low, high] where <paramref name="holds"/> turns true.</summary>
    private static DateTimeOffset FirstInstant(DateTimeOffset low, DateTimeOffset high, Func<DateTimeOffset, bool> holds)
    {
        long lo = low.ToUnixTimeSeconds(), hi = (high.UtcTicks + TimeSpan.TicksPerSecond - 1 - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond;
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (holds(DateTimeOffset.FromUnixTimeSeconds(mid))) hi = mid; else lo = mid;
        }
        return DateTimeOffset.FromUnixTimeSeconds(hi);
    }
}
