using System.Globalization;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli.Rendering;

/// <summary>
/// Under the <c>pmctl status</c> table: one line per service the kernel reports contention for (OOM kills, cpu
/// throttling, pressure above zero), so the table itself keeps the original's columns. Values the kernel does not
/// expose are left out, never shown as zero.
/// </summary>
internal static class ContentionLines
{
    public static IEnumerable<string> Render(IReadOnlyList<StatusEntry> statuses)
    {
        foreach (StatusEntry s in statuses)
        {
            bool contended = s.OomKills > 0 || s.NrThrottled > 0 || s.CpuPressureAvg10 > 0 || s.MemoryPressureAvg10 > 0 || s.IoPressureAvg10 > 0;
            if (!contended) continue;
            var parts = new List<string>();
            if (s.OomKills is long kills) parts.Add(Invariant($"oom_kills={kills}"));
            if (s.NrThrottled is long throttled) parts.Add(Invariant($"nr_throttled={throttled}"));
            if (s.ThrottledUsec is long usec) parts.Add(Invariant($"throttled_usec={usec}"));
            var psi = new List<string>();
            if (s.CpuPressureAvg10 is double cpu) psi.Add(Invariant($"cpu={cpu:0.00}"));
            if (s.MemoryPressureAvg10 is double memory) psi.Add(Invariant($"memory={memory:0.00}"));
            if (s.IoPressureAvg10 is double io) psi.Add(Invariant($"io={io:0.00}"));
            if (psi.Count > 0) parts.Add("psi.some.avg10 " + string.Join(' ', psi));
            yield return TerminalText.Escape($"~ {s.Application}: {string.Join(' ', parts)}");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
