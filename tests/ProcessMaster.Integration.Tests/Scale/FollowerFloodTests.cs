using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Scale;

/// <summary>
/// 600 idle log followers and 100 active ones open at once (docs/reliability.md): the connection and follow budgets,
/// sized from RLIMIT_NOFILE, hold them all; status answers meanwhile with every service; the active followers get
/// their lines; and when they all leave, the daemon's descriptors come back to where they were.
/// </summary>
public sealed class FollowerFloodTests : IAsyncLifetime
{
    private static readonly int Idle = int.TryParse(Environment.GetEnvironmentVariable("PM_FOLLOWER_FLOOD_IDLE"), out int n) ? n : 600;
    private const int Active = 100;
    private const int Writers = 5;
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("idle", $$"""
            process:
              working_directory: {{_daemon.WorkDir("idle")}}
              start_command: ["/bin/sleep", "100000"]
            """);
        for (int i = 0; i < Writers; i++)
        {
            // A line every 50 ms: continuous, and cheap on a loaded 2-core machine.
            _daemon.WriteService($"writer{i}", $$"""
                process:
                  working_directory: {{_daemon.WorkDir($"writer{i}")}}
                  start_command: ["/bin/sh", "-c", "i=0; while :; do i=$((i+1)); echo writer{{i}} line $i; sleep 0.05; done"]
                """);
        }
        await _daemon.StartAsync();
        foreach (string app in Apps())
            await ServiceStatus.WaitAsync(_daemon, app, s => s.Running, TimeSpan.FromSeconds(60), $"{app} running");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task SixHundredIdleAndHundredActiveFollowers_StatusAnswersWithEveryService_LinesArrive_FdsReturnToBaseline()
    {
        int pid = _daemon.Pid!.Value;
        Assert.Equal(0, (await _daemon.PmctlAsync("status")).ExitCode);
        int baseline = Fds(pid);
        int baselineSockets = Targets(pid).Count(t => t.StartsWith("socket:", StringComparison.Ordinal));
        string work = Path.Combine(_daemon.Root, "work");
        int baselineLogFiles = Targets(pid).Count(t => t.StartsWith(work, StringComparison.Ordinal)); // the captures' own writers
        var followers = new List<DaemonSocket>(Idle + Active);
        try
        {
            for (int i = 0; i < Idle + Active; i++)
            {
                string app = i < Idle ? "idle" : $"writer{i % Writers}";
                DaemonSocket follower = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
                followers.Add(follower);
                JsonElement accepted = await follower.CallAsync("logs_follow", $$"""{"name":"{{app}}","n":0}""");
                Assert.True(accepted.TryGetProperty("result", out _), $"follower {i} of {app}: {accepted}");
            }

            CommandResult status = await _daemon.PmctlAsync("status", "--format", "json");
            Assert.True(status.ExitCode == 0, status.ToString());
            using (JsonDocument doc = JsonDocument.Parse(status.Stdout))
            {
                var running = doc.RootElement.GetProperty("statuses").EnumerateArray()
                    .Where(s => s.GetProperty("running").GetBoolean())
                    .Select(s => s.GetProperty("application").GetString()!).Order(StringComparer.Ordinal).ToArray();
                Assert.Equal(Apps().Order(StringComparer.Ordinal), running);
            }

            for (int i = Idle; i < Idle + Active; i++)
            {
                string? line = await followers[i].ReadLineAsync(TimeSpan.FromSeconds(60), $"a line for active follower {i}");
                Assert.NotNull(line);
                Assert.Contains($"writer{i % Writers} line", line, StringComparison.Ordinal);
            }
            Assert.True(Fds(pid) > baseline + Idle + Active, $"{Fds(pid)} fds with {Idle + Active} followers open, {baseline} before");
        }
        finally
        {
            foreach (DaemonSocket follower in followers) await follower.DisposeAsync();
        }

        // Every session's fds are released: no socket beyond the baseline's, no followed log file open. The runtime may
        // hold a few more of its own after the flood (thread pool, epoll), as in CrashLoopFloodTests.
        try
        {
            await DaemonInstance.WaitUntilAsync(() =>
                {
                    IReadOnlyList<string> targets = Targets(pid);
                    return targets.Count(t => t.StartsWith("socket:", StringComparison.Ordinal)) <= baselineSockets
                           && targets.Count(t => t.StartsWith(work, StringComparison.Ordinal)) <= baselineLogFiles
                           && targets.Count <= baseline + 16;
                }, TimeSpan.FromSeconds(120),
                $"the daemon's fds back to its baseline of {baseline} ({baselineSockets} sockets, {baselineLogFiles} log files) after {Idle + Active} followers left");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; now {Fds(pid)}: {FdKinds(pid)}", e);
        }
        Assert.Equal(0, (await _daemon.PmctlAsync("status")).ExitCode);
    }

    private static IEnumerable<string> Apps() => ["idle", .. Enumerable.Range(0, Writers).Select(i => $"writer{i}")];

    private static int Fds(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    /// <summary>What each of the daemon's fds points at.</summary>
    private static IReadOnlyList<string> Targets(int pid) =>
        [.. Directory.GetFiles($"/proc/{pid}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "?")];

    /// <summary>What the daemon's fds point at, counted by kind (socket, anon_inode:..., a path's directory).</summary>
    private static string FdKinds(int pid) => string.Join(", ", Targets(pid)
        .Select(t => t.StartsWith('/') ? Path.GetDirectoryName(t) : t.Split('[')[0])
        .GroupBy(k => k).OrderByDescending(g => g.Count()).Take(8).Select(g => $"{g.Count()} x {g.Key}"));
}
