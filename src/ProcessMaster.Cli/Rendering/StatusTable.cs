using System.Text;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli.Rendering;

/// <summary>
/// <c>pmctl status</c> as the original's ASCII table: columns as wide as their widest cell, one line per PID (only the
/// first carries the other columns), a separator after each service, and an empty line at the end. Every cell has
/// its control characters escaped: text from the daemon never drives the terminal or breaks a row.
/// </summary>
internal static class StatusTable
{
    private static readonly string[] Header =
        ["application", "actual", "status", "crashes_10m", "pid", "uptime", "sys_flags", "user_flags", "enabled", "last_run", "src"];

    public static string Render(IReadOnlyList<StatusEntry> statuses, TimeZoneInfo zone)
    {
        if (statuses.Count == 0) return "(no services)\n";

        var services = new List<List<string[]>>(statuses.Count);
        foreach (StatusEntry s in statuses)
        {
            var rows = new List<string[]>();
            string[] first =
            [
                s.Application,
                s.Actual == ActualState.Running ? "RUNNING" : "STOPPED",
                PhaseText(s.Phase),
                s.Restarts10m.ToString(System.Globalization.CultureInfo.InvariantCulture),
                s.Pids.Count > 0 ? s.Pids[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : "-",
                s.Pids.Count > 0 ? Uptime.Format(UptimeAt(s, 0)) : "-",
                s.SystemFlags.Count > 0 ? string.Join(',', s.SystemFlags) : "-",
                s.UserFlags.Count > 0 ? string.Join(',', s.UserFlags) : "-",
                s.Enabled ? "enabled" : "disabled",
                LocalTime.Format(s.LastRunAtMs, zone),
                s.SourceFile is { Length: > 0 } source ? Path.GetFileName(source) : "-",
            ];
            for (int i = 0; i < first.Length; i++) first[i] = TerminalText.Escape(first[i]);
            rows.Add(first);
            for (int i = 1; i < s.Pids.Count; i++)
            {
                rows.Add(["", "", "", "", s.Pids[i].ToString(System.Globalization.CultureInfo.InvariantCulture), Uptime.Format(UptimeAt(s, i)), "", "", "", "", ""]);
            }
            services.Add(rows);
        }

        int[] widths = Header.Select(h => h.Length).ToArray();
        foreach (string[] row in services.SelectMany(r => r))
        {
            for (int i = 0; i < widths.Length; i++) widths[i] = Math.Max(widths[i], Encoding.UTF8.GetByteCount(row[i]));
        }

        var text = new StringBuilder();
        string separator = "+" + string.Join('+', widths.Select(w => new string('-', w + 2))) + "+";
        text.Append(separator).Append('\n');
        AppendRow(text, Header, widths);
        text.Append(separator).Append('\n');
        foreach (List<string[]> rows in services)
        {
            foreach (string[] row in rows) AppendRow(text, row, widths);
            text.Append(separator).Append('\n');
        }
        return text.Append('\n').ToString();
    }

    /// <summary>The phase as the original printed it (upper case).</summary>
    public static string PhaseText(ServicePhase phase) => phase.ToString().ToUpperInvariant();

    private static long UptimeAt(StatusEntry s, int index) => index < s.PidUptimesMs.Count ? s.PidUptimesMs[index] : -1;

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (int i = 0; i < cells.Length; i++)
        {
            int pad = widths[i] - Encoding.UTF8.GetByteCount(cells[i]);
            text.Append(' ').Append(cells[i]).Append(' ', pad + 1).Append('|');
        }
        text.Append('\n');
    }
}
