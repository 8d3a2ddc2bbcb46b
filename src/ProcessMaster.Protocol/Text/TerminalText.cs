using System.Globalization;
using System.Text;

namespace ProcessMaster.Protocol.Text;

/// <summary>
/// Text that reaches a terminal or a log line, made inert: control characters are written as visible escapes, so a
/// flag, a client's handshake field or a service's output can never move the cursor, set a window title, start a
/// new log line or hide text (N-11). Escaped: C0 (including <c>\n</c>, <c>\r</c>, <c>\t</c>, ESC), DEL, C1, the
/// Unicode line/paragraph separators and the bidirectional overrides. Shown as <c>\n</c>, <c>\r</c>, <c>\t</c>,
/// <c>\x1b</c> or <c>\u{202e}</c>. A backslash is left as it is.
/// </summary>
public static class TerminalText
{
    /// <summary>Escapes every control character: the result is one line.</summary>
    public static string Escape(string? text) => EscapeCore(text, keepNewlines: false, keepTabs: false);

    /// <summary>Escapes every control character except <c>\n</c>: for messages made of several lines (one per target).</summary>
    public static string EscapeLines(string? text) => EscapeCore(text, keepNewlines: true, keepTabs: false);

    /// <summary>Escapes every control character except <c>\t</c>: for one line of a service's log.</summary>
    public static string EscapeLogLine(string? text) => EscapeCore(text, keepNewlines: false, keepTabs: true);

    /// <summary>At most <paramref name="maxChars"/> characters of <paramref name="text"/>, with <c>…</c> when cut.</summary>
    public static string Truncate(string? text, int maxChars)
    {
        if (text is null) return "";
        if (text.Length <= maxChars) return text;
        int cut = maxChars;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>True when <paramref name="c"/> is escaped by <see cref="Escape"/>.</summary>
    public static bool IsControl(char c) =>
        c < 0x20 || c is >= '\u007f' and <= '\u009f' || c is '\u2028' or '\u2029' or '\u200e' or '\u200f'
        || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069';

    private static string EscapeCore(string? text, bool keepNewlines, bool keepTabs)
    {
        if (string.IsNullOrEmpty(text)) return "";
        int first = FirstToEscape(text, keepNewlines, keepTabs);
        if (first < 0) return text;
        var result = new StringBuilder(text.Length + 16);
        result.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!IsControl(c) || (keepNewlines && c == '\n') || (keepTabs && c == '\t'))
            {
                result.Append(c);
                continue;
            }
            switch (c)
            {
                case '\n': result.Append("\\n"); break;
                case '\r': result.Append("\\r"); break;
                case '\t': result.Append("\\t"); break;
                default:
                    if (c <= '\u00ff') result.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else result.Append("\\u{").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)).Append('}');
                    break;
            }
        }
        return result.ToString();
    }

    private static int FirstToEscape(string text, bool keepNewlines, bool keepTabs)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (IsControl(c) && !(keepNewlines && c == '\n') && !(keepTabs && c == '\t')) return i;
        }
        return -1;
    }
}
