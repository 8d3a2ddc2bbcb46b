using System.Text;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Rendering;

/// <summary><c>pmctl events</c>: <c>{ts} [{component}] app={app} {message}</c>, one per line; nothing when empty.</summary>
internal static class EventLines
{
    public static string Render(IReadOnlyList<EventEntry> events)
    {
        var text = new StringBuilder();
        foreach (EventEntry e in events)
        {
            text.Append(e.Ts).Append(" [").Append(e.Component).Append("] ");
            if (e.App is not null) text.Append("app=").Append(e.App).Append(' ');
            text.Append(e.Message).Append('\n');
        }
        return text.ToString();
    }
}
