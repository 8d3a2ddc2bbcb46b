using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Logs;

/// <summary>
/// <c>logs_follow</c> without a name follows every file of every service; the files followed at once are counted
/// against one budget (2048 with a normal descriptor limit) for all clients, so follow sessions cannot exhaust the daemon's fds (N-16).
/// </summary>
public sealed class FollowBudgetTests : IAsyncLifetime
{
    private const int Services = 60;
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public async ValueTask InitializeAsync()
    {
        for (int i = 0; i < Services; i++)
        {
            string name = $"svc{i:D2}";
            string work = _daemon.WorkDir(name);
            Directory.CreateDirectory(Path.Combine(work, "logs"));
            _daemon.WriteService(name, $$"""
                process:
                  working_directory: {{work}}
                  start_command: ["/bin/sleep", "100000"]
                global:
                  enabled: false
                """);
        }
        await _daemon.StartAsync();
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task FollowEverything_ManySessions_StopAtTheFileBudget_FdsStayBounded_AndASlotReturns()
    {
        int pid = _daemon.Pid!.Value;
        int fdsBefore = Directory.GetFiles($"/proc/{pid}/fd").Length;
        var sessions = new List<DaemonSocket>();
        try
        {
            // Each session follows 120 files (stdout and stderr of 60 services): 17 fit in 2048, the 18th does not.
            for (int i = 0; i < 17; i++)
            {
                DaemonSocket session = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
                sessions.Add(session);
                JsonElement accepted = await session.CallAsync("logs_follow", "{\"n\":0}");
                Assert.True(accepted.TryGetProperty("result", out JsonElement result), $"session {i}: {accepted}");
                Assert.Equal(2 * Services, result.GetProperty("files").GetArrayLength());
            }
            await using (DaemonSocket extra = await DaemonSocket.ConnectAsync(_daemon.SocketPath))
            {
                JsonElement refused = await extra.CallAsync("logs_follow", "{\"n\":0}");
                JsonElement error = refused.GetProperty("error");
                Assert.Equal(-32005, error.GetProperty("code").GetInt32());
                Assert.Equal("logs_follow: too many log files followed at once (2040 followed now, this session needs 120, the limit is 2048); " +
                             "follow one service ('pmctl logs -f NAME') or close another follower, then try again", error.GetProperty("message").GetString());
                JsonElement one = await extra.CallAsync("logs_follow", "{\"name\":\"svc00\",\"n\":0}");
                Assert.True(one.TryGetProperty("result", out _), $"one service still fits: {one}");
            }
            int fdsAfter = Directory.GetFiles($"/proc/{pid}/fd").Length;
            Assert.True(fdsAfter - fdsBefore <= 2 * 2040 + 3 * 18, $"{fdsAfter - fdsBefore} more fds for 2040 followed files");

            await sessions[0].DisposeAsync();
            sessions.RemoveAt(0);
            DateTime deadline = DateTime.UtcNow.AddSeconds(20);
            while (!await TryFollowAllAsync())
            {
                Assert.True(DateTime.UtcNow < deadline, "timed out waiting for a follow slot returned by a closed session");
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            foreach (DaemonSocket session in sessions) await session.DisposeAsync();
        }
    }

    private async Task<bool> TryFollowAllAsync()
    {
        await using DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
        return (await client.CallAsync("logs_follow", "{\"n\":0}")).TryGetProperty("result", out _);
    }
}
