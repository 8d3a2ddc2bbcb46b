using System.Text;

namespace ProcessMaster.Daemon.Web.Security;

/// <summary>Client-supplied text made safe for one event line: control and non-ASCII characters become <c>?</c>, long text is cut.</summary>
internal static class Text
{
    public static string Printable(string? value, int max)
    {
        if (string.IsNullOrEmpty(value)) return "-";
        var sb = new StringBuilder(Math.Min(value.Length, max) + 3);
        foreach (char c in value.AsSpan(0, Math.Min(value.Length, max))) sb.Append(c is >= ' ' and <= '~' ? c : '?');
        if (value.Length > max) sb.Append("...");
        return sb.ToString();
    }
}
