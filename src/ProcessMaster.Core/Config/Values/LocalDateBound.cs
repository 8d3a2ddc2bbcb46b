using System.Globalization;

namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// <c>process.not_before</c> / <c>process.not_after</c>: a local wall-clock date-time without a zone
/// (<see cref="DateTime.Kind"/> is <see cref="DateTimeKind.Unspecified"/>). Formats: <c>YYYY-MM-DD</c>,
/// <c>YYYY-MM-DD HH:MM:SS</c>, <c>YYYY-MM-DD_HH:MM:SS</c>. A date-only upper bound is inclusive up to
/// 23:59:59.999 of that day; a date-only lower bound starts at 00:00:00. Core never reads the local
/// zone: callers convert with <see cref="ToInstant"/> passing the zone (the daemon passes
/// <see cref="TimeZoneInfo.Local"/>).
/// </summary>
public readonly record struct LocalDateBound
{
    private static readonly string[] Formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd_HH:mm:ss"];

    private LocalDateBound(DateTime local, bool isUpper, string text)
    {
        Local = local;
        IsUpper = isUpper;
        Text = text;
    }

    /// <summary>The local date-time (Kind = Unspecified).</summary>
    public DateTime Local { get; }

    /// <summary>True for an upper bound (<c>not_after</c>).</summary>
    public bool IsUpper { get; }

    /// <summary>The text as written (trimmed).</summary>
    public string Text { get; }

    /// <summary>Parses a lower bound (<c>not_before</c>).</summary>
    public static bool TryParseLower(string text, out LocalDateBound value, out string error) => TryParse(text, false, out value, out error);

    /// <summary>Parses an upper bound (<c>not_after</c>); date-only means the end of that day.</summary>
    public static bool TryParseUpper(string text, out LocalDateBound value, out string error) => TryParse(text, true, out value, out error);

    private static bool TryParse(string text, bool upper, out LocalDateBound value, out string error)
    {
        value = default;
        string s = text.Trim();
        if (DateTime.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime date))
        {
            DateTime local = upper ? date.Add(new TimeSpan(0, 23, 59, 59, 999)) : date;
            value = new LocalDateBound(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), upper, s);
            error = "";
            return true;
        }

        if (DateTime.TryParseExact(s, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime dt))
        {
            value = new LocalDateBound(DateTime.SpecifyKind(dt, DateTimeKind.Unspecified), upper, s);
            error = "";
            return true;
        }

        error = $"invalid date \"{s}\"; expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DD_HH:MM:SS (local time)";
        return false;
    }

    /// <summary>
    /// The instant this bound denotes in <paramref name="zone"/>. A local time that does not exist
    /// (skipped by a DST jump forward) is moved forward by the length of the gap (02:30 in a
    /// 02:00→03:00 gap becomes 03:30). An ambiguous local time (repeated by a jump back) takes the
    /// more permissive instant: the earlier one for a lower bound, the later one for an upper bound.
    /// </summary>
    public DateTimeOffset ToInstant(TimeZoneInfo zone)
    {
        if (zone.IsAmbiguousTime(Local))
        {
            TimeSpan[] offsets = zone.GetAmbiguousTimeOffsets(Local);
            TimeSpan offset = IsUpper ? offsets.Min() : offsets.Max();
            return new DateTimeOffset(Local, offset);
        }

        if (zone.IsInvalidTime(Local))
        {
            DateTime before = Local;
            while (zone.IsInvalidTime(before))
            {
                before = before.AddMinutes(-15);
            }

            return new DateTimeOffset(Local, zone.GetUtcOffset(before));
        }

        return new DateTimeOffset(Local, zone.GetUtcOffset(Local));
    }

    /// <summary>The text as written.</summary>
    public override string ToString() => Text ?? "";
}
