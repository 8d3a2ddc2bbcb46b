using System.Text.Json;

namespace ProcessMaster.Testing;

/// <summary>One entry of <c>pmctl status NAME --format json</c>, as scripts read it.</summary>
public sealed record ServiceStatus(string Application, string Phase, bool Running, IReadOnlyList<int> Pids, int Restarts10m, IReadOnlyList<string> SystemFlags, string Json)
{
    /// <summary>Runs <c>pmctl status NAME --format json</c> and parses the entry.</summary>
    public static async Task<ServiceStatus> ReadAsync(DaemonInstance daemon, string app)
    {
        CommandResult result = await daemon.PmctlAsync("status", app, "--format", "json");
        if (result.ExitCode != 0) throw new InvalidOperationException($"pmctl status {app} failed: {result}");
        using JsonDocument doc = JsonDocument.Parse(result.Stdout);
        JsonElement entry = doc.RootElement.GetProperty("statuses")[0];
        return new ServiceStatus(
            entry.GetProperty("application").GetString()!,
            entry.GetProperty("phase").GetString()!.ToUpperInvariant(),
            entry.GetProperty("running").GetBoolean(),
            [.. entry.GetProperty("pids").EnumerateArray().Select(p => p.GetInt32())],
            entry.GetProperty("restarts_10m").GetInt32(),
            [.. entry.GetProperty("system_flags").EnumerateArray().Select(f => f.GetString()!)],
            entry.GetRawText());
    }

    /// <summary>Polls status until <paramref name="condition"/> holds.</summary>
    public static async Task<ServiceStatus> WaitAsync(DaemonInstance daemon, string app, Func<ServiceStatus, bool> condition, TimeSpan timeout, string awaited)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        ServiceStatus status = await ReadAsync(daemon, app);
        while (!condition(status))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{app}: timed out after {timeout} waiting for {awaited}; last status: {status.Json}\n--- daemon log ---\n{daemon.Log}");
            await Task.Delay(50);
            status = await ReadAsync(daemon, app);
        }
        return status;
    }
}

/// <summary>Kernel facts the tests check through /proc.</summary>
public static class ProcFacts
{
    /// <summary>Every live pid whose command line contains <paramref name="marker"/> (zombies excluded).</summary>
    public static IReadOnlyList<int> PidsWithMarker(string marker)
    {
        var pids = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(marker, StringComparison.Ordinal) && !IsZombie(pid)) pids.Add(pid);
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }
        return pids;
    }

    /// <summary>True when <paramref name="pid"/> is a zombie (state Z).</summary>
    public static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Zombie children of <paramref name="parent"/>.</summary>
    public static IReadOnlyList<int> ZombieChildrenOf(int parent)
    {
        var zombies = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (rest[0] == "Z" && int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) == parent) zombies.Add(pid);
            }
            catch (IOException)
            {
            }
        }
        return zombies;
    }

    /// <summary>The status line <paramref name="field"/> (e.g. Uid, Gid, Groups) of <c>/proc/PID/status</c>.</summary>
    public static string StatusField(int pid, string field) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim();
}
