using System.Globalization;

namespace ProcessMaster.Linux.Cgroups;

/// <summary>The one parser of <c>memory.events</c> (<c>low</c>, <c>high</c>, <c>max</c>, <c>oom</c>, <c>oom_kill</c>, ... lines).</summary>
public static class MemoryEvents
{
    /// <summary>The <c>oom_kill</c> count: processes the OOM killer ended in the cgroup (0 when the line is absent).</summary>
    public static long ParseOomKills(string text)
    {
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (kv.Length == 2 && kv[0] == "oom_kill" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kills))
            {
                return kills;
            }
        }

        return 0;
    }
}
