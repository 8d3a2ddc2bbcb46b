using System.Globalization;
using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Scale;

/// <summary>
/// 1000 services (issue 12, not timed): all start at boot without a start deadline expiring, all show RUNNING in
/// status, the daemon's thread count stays a small constant, `stop all` leaves every cgroup empty and no process
/// behind, and `start all` over RPC brings all 1000 back without a start deadline expiring. A loaded machine only makes it slower: waits fail when progress stops, never on a wall-clock bound.
/// </summary>
public sealed class ThousandServicesTests : IAsyncLifetime
{
    private const int Count = 1000;

    /// <summary>Threads the daemon may use, whatever the number of services (loop, kernel events, log capture and its workers, runtime, thread pool).</summary>
    private const int MaxDaemonThreads = 48;

    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private readonly string _marker = "86400." + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);

    public ValueTask InitializeAsync()
    {
        string work = _daemon.WorkDir("scale");
        for (int i = 0; i < Count; i++)
        {
            _daemon.WriteService(Name(i), $$"""
                process:
                  working_directory: {{work}}
                  start_command: ["/bin/sleep", "{{_marker}}"]
                """);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task ThousandServices_BootStatusStopAllStartAll_AllRunningThenEveryCgroupEmptyAndNothingLeft()
    {
        await _daemon.StartAsync();

        IReadOnlyDictionary<string, string> phases = await WaitForPhasesAsync(p => p == "RUNNING", "every service RUNNING");
        Assert.Equal(Count, phases.Count);
        Assert.DoesNotContain("spawn did not report", _daemon.Log, StringComparison.Ordinal);
        Assert.Equal(Count, ProcFacts.PidsWithMarker(_marker).Count);
        int threads = int.Parse(ProcFacts.StatusField(_daemon.Pid!.Value, "Threads"), CultureInfo.InvariantCulture);
        Assert.True(threads <= MaxDaemonThreads, $"the daemon runs {threads} threads with {Count} services; expected a small constant (at most {MaxDaemonThreads})");

        CommandResult stop = await _daemon.PmctlAsync("stop", "all");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        await WaitForPhasesAsync(p => p is "STOPPED", "every service STOPPED");
        for (int i = 0; i < Count; i++)
            Assert.False(CgroupSandbox.IsPopulated(_daemon.AppCgroup(Name(i))), $"{_daemon.AppCgroup(Name(i))} still holds processes after stop all");
        Assert.Empty(ProcFacts.PidsWithMarker(_marker));

        // `start all` over RPC puts all 1000 in STARTING at once; their spawns queue, and each start timeout counts
        // from its spawn's issue, so none expires while waiting behind the others.
        CommandResult start = await _daemon.PmctlAsync("start", "all");
        Assert.True(start.ExitCode == 0, start.ToString());
        await WaitForPhasesAsync(p => p == "RUNNING", "every service RUNNING after start all");
        Assert.DoesNotContain("spawn did not report", _daemon.Log, StringComparison.Ordinal);
        Assert.Equal(Count, ProcFacts.PidsWithMarker(_marker).Count);
        CommandResult stopAgain = await _daemon.PmctlAsync("stop", "all");
        Assert.True(stopAgain.ExitCode == 0, stopAgain.ToString());
        await WaitForPhasesAsync(p => p is "STOPPED", "every service STOPPED again");
        Assert.Empty(ProcFacts.PidsWithMarker(_marker));
    }

    private static string Name(int i) => "s" + i.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>
    /// Polls <c>pmctl status --format json</c> until every service's phase satisfies <paramref name="done"/>; fails when
    /// the number of such services stops growing for two minutes (no wall-clock bound on the whole wait).
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> WaitForPhasesAsync(Func<string, bool> done, string awaited)
    {
        TimeSpan stall = TimeSpan.FromMinutes(2);
        int best = -1;
        DateTime lastMoved = DateTime.UtcNow;
        while (true)
        {
            Dictionary<string, string> phases = await ReadPhasesAsync();
            int reached = phases.Values.Count(done);
            if (reached >= Count) return phases;
            if (reached > best)
            {
                best = reached;
                lastMoved = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastMoved > stall)
            {
                string others = string.Join(", ", phases.Where(p => !done(p.Value)).Take(20).Select(p => $"{p.Key}={p.Value}"));
                throw new TimeoutException($"no progress for {stall} waiting for {awaited} (at {reached} of {Count}; e.g. {others})\n--- daemon log ---\n{_daemon.Log}");
            }
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    private async Task<Dictionary<string, string>> ReadPhasesAsync()
    {
        CommandResult result = await _daemon.PmctlAsync("status", "--format", "json");
        if (result.ExitCode != 0) return [];
        using JsonDocument doc = JsonDocument.Parse(result.Stdout);
        var phases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonElement entry in doc.RootElement.GetProperty("statuses").EnumerateArray())
            phases[entry.GetProperty("application").GetString()!] = entry.GetProperty("phase").GetString()!.ToUpperInvariant();
        return phases;
    }
}
