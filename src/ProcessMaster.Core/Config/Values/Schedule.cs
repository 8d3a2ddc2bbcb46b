using Cronos;

namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// A cron schedule (SPEC §3.7), parsed once by Cronos and kept with its text. Five fields
/// (<c>minute hour day-of-month month day-of-week</c>, second 0) or six with leading seconds; Vixie
/// weekday 0–7 (0 and 7 are Sunday), month/day names, ranges, lists, steps; macros <c>@hourly</c>,
/// <c>@daily</c>/<c>@midnight</c>, <c>@weekly</c>, <c>@monthly</c>, <c>@yearly</c>/<c>@annually</c>,
/// <c>@every_minute</c>, <c>@every_second</c>. Cronos extras (<c>L</c>, <c>W</c>, <c>#</c>, <c>?</c>) are accepted too.
/// </summary>
public readonly record struct Schedule
{
    private static readonly string[] FieldNames = ["second", "minute", "hour", "day-of-month", "month", "day-of-week"];

    private static readonly string[] FieldRanges =
    [
        "0-59", "0-59", "0-23", "1-31", "1-12 or JAN-DEC", "0-7 (0 and 7 are Sunday) or SUN-SAT",
    ];

    private Schedule(string text, CronExpression expression, bool hasSeconds)
    {
        Text = text;
        Expression = expression;
        HasSeconds = hasSeconds;
    }

    /// <summary>The expression as written (trimmed).</summary>
    public string Text { get; }

    /// <summary>The parsed expression; compute occurrences from this, never from <see cref="Text"/>.</summary>
    public CronExpression Expression { get; }

    /// <summary>True for the 6-field form (second resolution).</summary>
    public bool HasSeconds { get; }

    /// <summary>Parses a 5- or 6-field expression or a macro.</summary>
    public static bool TryParse(string text, out Schedule value, out string error)
    {
        value = default;
        string s = text.Trim();
        if (s.Length == 0)
        {
            error = "schedule is empty; write 5 fields (minute hour day-of-month month day-of-week), e.g. \"*/5 * * * *\", or a macro such as @daily";
            return false;
        }

        if (s.StartsWith('@'))
        {
            if (TryCronos(s, CronFormat.Standard, out CronExpression? macro, out _))
            {
                value = new Schedule(s, macro!, s.Equals("@every_second", StringComparison.OrdinalIgnoreCase));
                error = "";
                return true;
            }

            error = $"unknown schedule macro \"{s}\"; use @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually, @every_minute or @every_second";
            return false;
        }

        string[] fields = s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            error = $"schedule \"{s}\" has {fields.Length} field{(fields.Length == 1 ? "" : "s")}; expected 5 (minute hour day-of-month month day-of-week) or 6 (second minute hour day-of-month month day-of-week)";
            return false;
        }

        bool seconds = fields.Length == 6;
        CronFormat format = seconds ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (TryCronos(string.Join(' ', fields), format, out CronExpression? expression, out string whole))
        {
            // A fixed reference instant (not the clock): an expression with no occurrence in the
            // following centuries (e.g. 31 February) would silently never run.
            if (expression!.GetNextOccurrence(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)) is null)
            {
                error = $"schedule \"{s}\" never fires (no such date, e.g. 31 February)";
                return false;
            }

            value = new Schedule(s, expression, seconds);
            error = "";
            return true;
        }

        error = DescribeBadFields(s, fields, format, whole);
        return false;
    }

    // Cronos reports the problem but not always the field; probing each field alone (the others '*')
    // names every faulty field, e.g. `field 2 (hour) "25": ...; expected 0-23`.
    private static string DescribeBadFields(string s, string[] fields, CronFormat format, string whole)
    {
        int offset = fields.Length == 6 ? 0 : 1;
        var problems = new List<string>();
        for (int i = 0; i < fields.Length; i++)
        {
            string[] probe = [.. Enumerable.Repeat("*", fields.Length)];
            probe[i] = fields[i];
            if (!TryCronos(string.Join(' ', probe), format, out _, out string why))
            {
                problems.Add($"field {i + 1} ({FieldNames[i + offset]}) \"{fields[i]}\": {why.TrimEnd('.')}; expected {FieldRanges[i + offset]}");
            }
        }

        return problems.Count == 0
            ? $"invalid schedule \"{s}\": {whole.TrimEnd('.')}"
            : $"invalid schedule \"{s}\": " + string.Join("; ", problems);
    }

    private static bool TryCronos(string text, CronFormat format, out CronExpression? expression, out string error)
    {
        try
        {
            expression = CronExpression.Parse(text, format);
            error = "";
            return true;
        }
        catch (CronFormatException e)
        {
            expression = null;
            error = e.Message.Replace("The given cron expression has an invalid format. ", "", StringComparison.Ordinal);
            return false;
        }
        catch (MissingSeedException)
        {
            expression = null;
            error = "H (hash/jitter) is not supported";
            return false;
        }
    }

    /// <summary>The expression as written.</summary>
    public override string ToString() => Text ?? "";
}
