using System.Text;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli.Rendering;

/// <summary>
/// <c>pmctl events</c>: <c>{ts} [{component}] app={app} {message}</c>, one per line (control characters escaped, so
/// one event is one line); nothing when empty.
/// </summary>
internal static class EventLines
{
    public static string Render(IReadOnlyList<EventEntry> events)
    {
        var text = new StringBuilder();
        foreach (EventEntry e in events)
        {
            text.Append(TerminalText.Escape(e.Ts)).Append(" [").Append(TerminalText.Escape(e.Component)).Append("] ");
            if (e.App is not null) text.Append("app=").Append(TerminalText.Escape(e.App)).Append(' ');
            text.Append(TerminalText.Escape(e.Message)).Append('\n');
        }
        return text.ToString();
    }
}
