using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Config;

/// <summary>
/// Every numeric cgroup limit key at 0, MAX, 2^63−1, 2^63 and 2^64+1, end to end: <c>processmaster --check</c>
/// either reports a problem at that key (file:line, what, fix) or accepts it, and the real daemon, given the same
/// files, never dies: a refused definition is not loaded, an accepted one is written to its cgroup at boot, at
/// spawn, on <c>pmctl update</c> and on <c>pmctl perf-metrics</c>, and a limit the kernel cannot hold is reported in
/// the operator's units. A refused master limit stops the daemon at start with the same problem, no stack trace.
/// </summary>
public sealed class LimitEdgeValueTests
{
    private static readonly string[] Values = ["0", "MAX", "9223372036854775807", "9223372036854775808", "18446744073709551617"];

    /// <summary>Key, YAML under <c>resources:</c> with {0} for the value, and per value in <see cref="Values"/>: 'o' accepted, 'x' a problem.</summary>
    private static readonly (string Key, string Yaml, string Outcome)[] ServiceKeys =
    [
        ("resources.max_cpu", "  max_cpu: \"{0}\"\n", "xoxxx"),
        ("resources.max_memory", "  max_memory: {0}\n", "oooxx"),
        ("resources.max_swap", "  max_swap: {0}\n", "oooxx"),
        ("resources.io_weight", "  io_weight: {0}\n", "xxxxx"),
        ("resources.max_pids", "  max_pids: {0}\n", "xooxx"),
        ("resources.io_bandwidth[0].max_read_bytes_per_second", "  io_bandwidth:\n    - device: \"8:0\"\n      max_read_bytes_per_second: {0}\n", "xxoxx"),
        ("resources.io_bandwidth[0].max_write_bytes_per_second", "  io_bandwidth:\n    - device: \"8:0\"\n      max_write_bytes_per_second: {0}\n", "xxoxx"),
        ("resources.io_bandwidth[0].max_read_iops", "  io_bandwidth:\n    - device: \"8:0\"\n      max_read_iops: {0}\n", "xxoxx"),
        ("resources.io_bandwidth[0].max_write_iops", "  io_bandwidth:\n    - device: \"8:0\"\n      max_write_iops: {0}\n", "xxoxx"),
    ];

    /// <summary>The master cgroup's keys: 0 memory would starve the daemon itself, so it is refused.</summary>
    private static readonly (string Key, string Outcome)[] MasterKeys =
    [
        ("cgroup.memory_max", "xooxx"),
        ("cgroup.memory_swap_max", "oooxx"),
        ("cgroup.cpu_max", "xoxxx"),
    ];

    [Fact]
    public async Task ServiceLimits_EdgeValues_CheckReportsOrDaemonRunsThem()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        string work = daemon.WorkDir("edge");
        var accepted = new List<string>();
        var refused = new List<(string Name, string Key, string File)>();
        for (int k = 0; k < ServiceKeys.Length; k++)
        {
            (string key, string yaml, string outcome) = ServiceKeys[k];
            for (int v = 0; v < Values.Length; v++)
            {
                string name = $"k{k}-v{v}";
                string file = daemon.WriteService(name, $"""
                    process:
                      working_directory: {work}
                      start_command: ["/bin/sh", "-c", "exec sleep 100000"]
                    resources:
                    {yaml.Replace("{0}", Values[v], StringComparison.Ordinal)}
                    """);
                if (outcome[v] == 'o') accepted.Add(name);
                else refused.Add((name, key, file));
            }
        }

        CommandResult check = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", daemon.ConfigPath], TimeSpan.FromSeconds(120));
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.DoesNotContain("exception", check.Stderr, StringComparison.OrdinalIgnoreCase);
        string[] problems = check.Stderr.Split('\n');
        foreach ((string name, string key, string file) in refused)
        {
            string? line = problems.FirstOrDefault(l => l.StartsWith(file + ":", StringComparison.Ordinal));
            Assert.True(line is not null, $"{name} ({key}): --check reported nothing\n{check}");
            Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(file)}:\d+:\d+: {System.Text.RegularExpressions.Regex.Escape(key)}: .+; .+", line);
        }
        foreach (string name in accepted)
            Assert.DoesNotContain(problems, l => l.StartsWith(Path.Combine(daemon.ConfigDirectory, name + ".yaml") + ":", StringComparison.Ordinal));

        await daemon.StartAsync();
        foreach (string name in accepted)
            await ServiceStatus.WaitAsync(daemon, name, s => s.Phase == "RUNNING", TimeSpan.FromSeconds(60), $"{name} RUNNING");
        CommandResult status = await daemon.PmctlAsync("status", "--format", "json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (JsonDocument doc = JsonDocument.Parse(status.Stdout))
        {
            string[] listed = [.. doc.RootElement.GetProperty("statuses").EnumerateArray().Select(e => e.GetProperty("application").GetString()!)];
            Assert.Equal(accepted.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        }

        // The same limits again through reload, a restart (spawn) and perf-metrics (which opens the cgroup).
        CommandResult update = await daemon.PmctlAsync("update");
        Assert.DoesNotContain("exception", update.ToString(), StringComparison.OrdinalIgnoreCase);
        foreach (string name in accepted.Where((_, i) => i % 3 == 0))
        {
            CommandResult restart = await daemon.PmctlAsync("restart", name);
            Assert.True(restart.ExitCode == 0, restart.ToString());
            CommandResult perf = await daemon.PmctlAsync("perf-metrics", name);
            Assert.True(perf.ExitCode == 0, perf.ToString());
        }

        Assert.NotNull(daemon.Pid);
        Assert.DoesNotContain("Unhandled exception", daemon.Log, StringComparison.Ordinal);
        // A limit the kernel does not hold is reported in the operator's units, never as raw bytes.
        string memory = Path.Combine(daemon.AppCgroup("k1-v2"), "memory.max");
        if (!File.Exists(memory))
            Assert.Contains($"app=k1-v2 memory limit 9223372036854775807 bytes NOT applied: {memory} missing (memory controller off); add +memory to the parent's cgroup.subtree_control\n",
                daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("app=k1-v1 memory limit", daemon.Log, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, char> MasterCases()
    {
        var data = new TheoryData<string, string, char>();
        foreach ((string key, string outcome) in MasterKeys)
            for (int v = 0; v < Values.Length; v++)
                data.Add(key, Values[v], outcome[v]);
        return data;
    }

    [Theory]
    [MemberData(nameof(MasterCases))]
    public async Task MasterLimit_EdgeValue_CheckReportsAndDaemonRefusesOrRuns(string key, string value, char outcome)
    {
        string leaf = key["cgroup.".Length..];
        await using DaemonInstance daemon = DaemonInstance.Create(extraCgroup: $"{leaf}: \"{value}\"");

        CommandResult check = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", daemon.ConfigPath]);
        if (outcome == 'o')
        {
            Assert.True(check.ExitCode == 0, check.ToString());
            await daemon.StartAsync();
            CommandResult status = await daemon.PmctlAsync("status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.NotNull(daemon.Pid);
            return;
        }

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(daemon.ConfigPath)}:\d+:\d+: {System.Text.RegularExpressions.Regex.Escape(key)}: .+; .+", check.Stderr);

        CommandResult run = await CommandRun.RunAsync(Repository.Daemon, ["-c", daemon.ConfigPath], TimeSpan.FromSeconds(60), workingDirectory: daemon.Root);
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains(key, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(daemon.MasterCgroup), "a refused configuration must create no cgroup");
    }
}
