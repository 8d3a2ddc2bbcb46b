using System.Text;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Rendering;

/// <summary>Log tails as the original printed them: <c>==> PATH &lt;==</c>, the lines, an empty line; live lines as <c>PATH: LINE</c>.</summary>
internal static class LogText
{
    public static string Tails(IReadOnlyList<LogFileTail> files)
    {
        var text = new StringBuilder();
        foreach (LogFileTail file in files)
        {
            text.Append("==> ").Append(file.Path).Append(" <==\n");
            foreach (string line in file.Lines) text.Append(line).Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }

    public static string Live(LogLineNotification line) => $"{line.Path}: {line.Line}";
}
