using System.Globalization;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Scale;

/// <summary>
/// What a running service costs the daemon in descriptors and threads (issue 12, not timed): at most
/// <see cref="FdsPerService"/> descriptors per running service, each in its own working directory (2 FIFOs, 2 log files,
/// 1 log directory shared by both streams, the pidfd, the cgroup node and its attach leaf); the pidfd goes when the
/// service stops and everything else when its definition is removed, back to the baseline exactly; and the daemon's
/// own threads (all but the runtime's thread-pool workers) are the same with 10 services as with 100.
/// </summary>
public sealed class DescriptorCostTests : IAsyncLifetime
{
    /// <summary>Descriptors the daemon holds per running service (before issue 12's cut: 9).</summary>
    public const int FdsPerService = 8;

    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private string _baseline = "";
    private readonly string _marker = "86400." + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);

    public ValueTask InitializeAsync()
    {
        // One service from boot, so the log capture loop and a spawn thread (both started on first use) are in the baseline.
        WriteService("warm");
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task ServicesStartStopAndGo_FdsGrowByAtMostPerServiceCost_ReturnToBaseline_ThreadsConstant()
    {
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "warm", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(60), "warm RUNNING");
        int pid = _daemon.Pid!.Value;
        int baseline = await SettledFdsAsync(pid, _ => true, "the baseline");
        _baseline = Describe(pid);

        await AddAsync(0, 10);
        int fdsAt10 = await SettledFdsAsync(pid, n => n <= baseline + 10 * FdsPerService, $"at most {FdsPerService} descriptors per service with 10 running");
        IReadOnlyList<string> threadsAt10 = DaemonThreads(pid);

        await AddAsync(10, 100);
        int fdsAt100 = await SettledFdsAsync(pid, n => n <= baseline + 100 * FdsPerService, $"at most {FdsPerService} descriptors per service with 100 running");
        IReadOnlyList<string> threadsAt100 = DaemonThreads(pid);
        Assert.True(fdsAt100 - fdsAt10 <= 90 * FdsPerService, $"{fdsAt10} descriptors at 10 services, {fdsAt100} at 100");
        // Started on demand up to their bounds: the spawn threads (4) and the log workers (2).
        Assert.Equal(Fixed(threadsAt10), Fixed(threadsAt100));
        Assert.True(threadsAt100.Count(t => t == "spawn") <= 4, string.Join(", ", threadsAt100));
        Assert.True(threadsAt100.Count(t => t == "log worker") <= 2, string.Join(", ", threadsAt100));
        int total = int.Parse(ProcFacts.StatusField(pid, "Threads"), CultureInfo.InvariantCulture);
        Assert.True(total <= 48, $"the daemon runs {total} threads with 100 services; expected a small constant");

        // Stopped: the pidfds go (the captures stay attached, a later start writes on).
        Assert.Equal(0, (await _daemon.PmctlAsync("stop", "all")).ExitCode);
        for (int i = 0; i < 100; i++)
            await ServiceStatus.WaitAsync(_daemon, Name(i), s => s.Phase == "STOPPED", TimeSpan.FromSeconds(60), "STOPPED");
        await SettledFdsAsync(pid, n => n <= baseline + 100 * (FdsPerService - 1), "no pidfd held for a stopped service");

        // Removed: nothing of them is held any more (warm, stopped by `stop all` too, runs again as at the baseline).
        Assert.Equal(0, (await _daemon.PmctlAsync("start", "warm")).ExitCode);
        await ServiceStatus.WaitAsync(_daemon, "warm", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(60), "warm RUNNING again");
        for (int i = 0; i < 100; i++) File.Delete(Path.Combine(_daemon.ConfigDirectory, Name(i) + ".yaml"));
        Assert.Equal(0, (await _daemon.PmctlAsync("update")).ExitCode);
        await SettledFdsAsync(pid, n => n == baseline, $"the baseline of {baseline} descriptors once the 100 services are removed");
        Assert.Single(ProcFacts.PidsWithMarker(_marker)); // warm only
    }

    private static string Name(int i) => "d" + i.ToString("D3", CultureInfo.InvariantCulture);

    private void WriteService(string name) =>
        _daemon.WriteService(name, $$"""
            process:
              working_directory: {{_daemon.WorkDir(name)}}
              start_command: ["/bin/sleep", "{{_marker}}"]
            """);

    private async Task AddAsync(int from, int to)
    {
        for (int i = from; i < to; i++) WriteService(Name(i));
        CommandResult update = await _daemon.PmctlAsync("update");
        Assert.True(update.ExitCode == 0, update.ToString());
        for (int i = from; i < to; i++)
            await ServiceStatus.WaitAsync(_daemon, Name(i), s => s.Phase == "RUNNING", TimeSpan.FromMinutes(2), "RUNNING");
    }

    /// <summary>
    /// Waits until the daemon's descriptor count satisfies <paramref name="done"/> and has stayed the same over three
    /// looks (log files open on workers, an RPC connection closes after pmctl exits); returns it.
    /// </summary>
    private async Task<int> SettledFdsAsync(int pid, Func<int, bool> done, string awaited)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        int last = -1, same = 0;
        while (true)
        {
            int now = CountFds(pid);
            same = now == last ? same + 1 : 0;
            last = now;
            if (same >= 2 && done(now)) return now;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"waited for {awaited}: the daemon holds {now} descriptors:\n{Describe(pid)}\n--- at the baseline ---\n{_baseline}\n--- daemon log ---\n{_daemon.Log}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// The daemon's threads by name, sorted, without the runtime's own workers whose number follows load and time, not
    /// services: the thread pool's (".NET TP ...") and the JIT's tiered compilation worker (".NET Tiered ...").
    /// </summary>
    private static IReadOnlyList<string> DaemonThreads(int pid) =>
        [.. Directory.GetDirectories($"/proc/{pid}/task")
            .Select(t => File.ReadAllText(Path.Combine(t, "comm")).Trim())
            .Where(name => !name.StartsWith(".NET TP", StringComparison.Ordinal) && !name.StartsWith(".NET Tiered", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>The threads that are there from the first service on: all but those started on demand up to a bound.</summary>
    private static IReadOnlyList<string> Fixed(IReadOnlyList<string> threads) => [.. threads.Where(t => t is not ("spawn" or "log worker"))];

    /// <summary>The daemon's descriptors but the JIT runtime's assemblies (loaded on first use; a NativeAOT build has none).</summary>
    private static int CountFds(int pid) =>
        Directory.GetFiles($"/proc/{pid}/fd").Count(fd => !((new FileInfo(fd).LinkTarget ?? "").EndsWith(".dll", StringComparison.Ordinal)));

    private static string Describe(int pid) =>
        string.Join('\n', Directory.GetFiles($"/proc/{pid}/fd")
            .Select(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget ?? "?";
                }
                catch (IOException)
                {
                    return "?";
                }
            })
            .GroupBy(t => t)
            .Select(g => $"{g.Count(),5} {g.Key}"));
}
