namespace ProcessMaster.Linux.Cgroups;

/// <summary>Reads a process's cgroup v2 membership from <c>/proc/PID/cgroup</c> (the <c>0::</c> line).</summary>
public static class SelfCgroup
{
    /// <summary>The cgroup v2 path of <paramref name="pid"/> relative to the cgroup2 mount (e.g. <c>/processmaster/run</c>), or null if the process is gone.</summary>
    public static string? TryRead(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/cgroup");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>Extracts the path of the <c>0::</c> line of a /proc/PID/cgroup text.</summary>
    public static string? Parse(string procCgroup)
    {
        foreach (string line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                return line[3..];
            }
        }

        return null;
    }
}
