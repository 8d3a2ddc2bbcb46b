using System.Text.RegularExpressions;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Config;

/// <summary>
/// The malformed-YAML corpus (<see cref="MalformedYamlCorpus"/>) against the real binaries: <c>processmaster
/// --check</c> reports a clear problem for each entry and exits 1 (never a crash, a stack trace or exit 134); a
/// running daemon given the whole corpus by <c>pmctl update</c> reports every entry, stays up and leaves running
/// services alone; a daemon started (or started again, over running services) with the corpus in place starts, runs
/// or adopts the good services untouched and reports every entry.
/// </summary>
public sealed partial class MalformedYamlTests : IDisposable
{
    private readonly TempDirectory _dir = new("pm-corpus-");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Entries() => MalformedYamlCorpus.Names();

    [Theory]
    [MemberData(nameof(Entries))]
    public async Task Check_MalformedDefinition_ReportsItsProblemAndExitsOne(string name)
    {
        string configDirectory = Path.Combine(_dir.Path, "config.d");
        Directory.CreateDirectory(configDirectory);
        string master = Path.Combine(_dir.Path, "config.yaml");
        await File.WriteAllTextAsync(master, "global:\n  config_directory: ./config.d\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(configDirectory, "good.yaml"), GoodService("good", "/tmp"), TestContext.Current.CancellationToken);
        MalformedYamlCorpus.Entry entry = MalformedYamlCorpus.Named(name);
        string path = Path.Combine(configDirectory, name);
        entry.Create(path);

        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", master], TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 1, $"{name}: expected exit 1\n{Shorten(result.ToString())}");
        AssertNoCrash(result.Stdout + result.Stderr);
        AssertReported(result.Stderr, path, entry.Expected);
        Assert.Contains("check: FAILED", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 service and 0 cron jobs loaded", result.Stderr, StringComparison.Ordinal); // good.yaml still checks out
    }

    [Fact]
    public async Task Update_WholeCorpus_EveryFileReported_DaemonStaysUp_RunningServicesKeepTheirPids()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        (ServiceStatus good, ServiceStatus kept) = await StartGoodAndKeptAsync(daemon);
        int mark = daemon.Log.Length;

        IReadOnlyList<string> paths = MalformedYamlCorpus.CreateAll(daemon.ConfigDirectory);
        // A running service's own file turns bad: the daemon keeps its last good definition.
        string keptFile = daemon.WriteService("kept", GoodService("kept", daemon.WorkDir("kept")) + "resources:\n  max_memory: 10000000000000000000\n");

        CommandResult update = await daemon.PmctlAsync("update");

        // The reply counts the problems (pmctl may also print them and exit 1); it never loses the connection.
        Assert.True(update.ExitCode is 0 or 1, update.ToString());
        Assert.Matches(@"updated: .*kept as last good \(kept\), [1-9]\d* problems", update.Stdout + update.Stderr);
        await daemon.WaitForLogAsync("[reconcile] update: ", TimeSpan.FromSeconds(60), since: mark);
        Assert.NotNull(daemon.Pid);
        string log = daemon.Log[mark..];
        AssertNoCrash(log);
        for (int i = 0; i < paths.Count; i++) AssertReported(log, paths[i], MalformedYamlCorpus.All[i].Expected);
        AssertReported(log, keptFile, "size \"10000000000000000000\" is too large (max 9223372036854775807 bytes");

        Assert.Equal(good.Pids, (await ServiceStatus.ReadAsync(daemon, "good")).Pids);
        ServiceStatus outdated = await ServiceStatus.ReadAsync(daemon, "kept");
        Assert.Equal(kept.Pids, outdated.Pids);
        Assert.Contains("outdated", outdated.SystemFlags);
    }

    [Fact]
    public async Task Start_WithWholeCorpus_GoodServiceRuns_EveryFileReported()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        IReadOnlyList<string> paths = MalformedYamlCorpus.CreateAll(daemon.ConfigDirectory);
        daemon.WriteService("good", GoodService("good", daemon.WorkDir("good")));

        await daemon.StartAsync();

        await ServiceStatus.WaitAsync(daemon, "good", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "good RUNNING");
        string log = daemon.Log;
        AssertNoCrash(log);
        for (int i = 0; i < paths.Count; i++) AssertReported(log, paths[i], MalformedYamlCorpus.All[i].Expected);
        Assert.Contains("[daemon] running: 1 definitions loaded", log, StringComparison.Ordinal);
        Assert.NotNull(daemon.Pid);
    }

    [Fact]
    public async Task Restart_WithWholeCorpus_RunningServicesAdoptedUntouched_EveryFileReported()
    {
        // The daemon stops (services keep running, SPEC §3.2), the corpus appears, the daemon starts again: it must
        // come up, adopt the running services with their processes, and report every file.
        await using DaemonInstance daemon = DaemonInstance.Create();
        (ServiceStatus good, ServiceStatus kept) = await StartGoodAndKeptAsync(daemon);
        Assert.Equal(0, await daemon.StopAsync());

        IReadOnlyList<string> paths = MalformedYamlCorpus.CreateAll(daemon.ConfigDirectory);
        // A running service's own file turned bad while no daemon ran: it is not loaded, and its processes are left alone.
        string keptFile = daemon.WriteService("kept", "process: [[[[\n");
        int mark = daemon.Log.Length;
        await daemon.StartAsync();

        await daemon.WaitForLogAsync("app=good found running with 1 processes", TimeSpan.FromSeconds(60), mark);
        string log = daemon.Log[mark..];
        AssertNoCrash(log);
        for (int i = 0; i < paths.Count; i++) AssertReported(log, paths[i], MalformedYamlCorpus.All[i].Expected);
        AssertReported(log, keptFile, "");
        Assert.Contains("pm-kept holds processes of a service that is no longer defined; left running", log, StringComparison.Ordinal);
        Assert.Equal(good.Pids, (await ServiceStatus.ReadAsync(daemon, "good")).Pids);
        Assert.All(kept.Pids, pid => Assert.True(Directory.Exists($"/proc/{pid}"), $"kept's process {pid} was killed"));
        Assert.NotNull(daemon.Pid);
        CommandResult status = await daemon.PmctlAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
    }

    /// <summary>Starts <paramref name="daemon"/> with two sleeping services, good and kept, and waits until both run.</summary>
    private static async Task<(ServiceStatus Good, ServiceStatus Kept)> StartGoodAndKeptAsync(DaemonInstance daemon)
    {
        daemon.WriteService("good", GoodService("good", daemon.WorkDir("good")));
        daemon.WriteService("kept", GoodService("kept", daemon.WorkDir("kept")));
        await daemon.StartAsync();
        ServiceStatus good = await ServiceStatus.WaitAsync(daemon, "good", s => s.Phase == "RUNNING" && s.Pids.Count > 0, TimeSpan.FromSeconds(30), "good RUNNING");
        ServiceStatus kept = await ServiceStatus.WaitAsync(daemon, "kept", s => s.Phase == "RUNNING" && s.Pids.Count > 0, TimeSpan.FromSeconds(30), "kept RUNNING");
        return (good, kept);
    }

    private static string GoodService(string name, string workDir) => $"""
        application: {name}
        process:
          working_directory: {workDir}
          start_command: ["/bin/sleep", "100000"]

        """;

    /// <summary>Some line names <paramref name="path"/> and says <paramref name="expected"/>.</summary>
    private static void AssertReported(string output, string path, string expected)
    {
        bool found = output.Split('\n').Any(line => line.Contains(path, StringComparison.Ordinal) && line.Contains(expected, StringComparison.Ordinal));
        Assert.True(found, $"no line names {path} with \"{expected}\"; output:\n{Shorten(output)}");
    }

    private static void AssertNoCrash(string output)
    {
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Stack overflow", output, StringComparison.Ordinal);
        Assert.False(StackFrame().IsMatch(output), $"a stack trace was printed:\n{Shorten(output)}");
    }

    /// <summary>Output for an assertion message: long lines cut, at most 200 lines.</summary>
    private static string Shorten(string output) =>
        string.Join('\n', output.Split('\n').Take(200).Select(l => l.Length > 400 ? l[..400] + "…" : l));

    [GeneratedRegex(@"^\s+at [\w.`<>\[\]]+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
