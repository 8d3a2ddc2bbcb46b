using System.Text;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli.Rendering;

/// <summary>
/// Log tails as the original printed them: <c>==> PATH &lt;==</c>, the lines, an empty line; live lines as
/// <c>PATH: LINE</c>. A service's output is not trusted with the terminal: control characters other than tab are
/// escaped unless <c>pmctl logs --raw</c> asks for the text as written.
/// </summary>
internal static class LogText
{
    public static string Tails(IReadOnlyList<LogFileTail> files, bool raw = false)
    {
        var text = new StringBuilder();
        foreach (LogFileTail file in files)
        {
            text.Append("==> ").Append(TerminalText.Escape(file.Path)).Append(" <==\n");
            foreach (string line in file.Lines) text.Append(Line(line, raw)).Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }

    public static string Live(LogLineNotification line, bool raw = false) => $"{TerminalText.Escape(line.Path)}: {Line(line.Line, raw)}";

    private static string Line(string line, bool raw) => raw ? line : TerminalText.EscapeLogLine(line);
}
