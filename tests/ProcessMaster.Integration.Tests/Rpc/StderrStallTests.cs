using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>
/// The daemon's stderr is a pipe nobody reads (a stalled journald, <c>processmaster 2&gt;&amp;1 | less</c>): event
/// output queues and drops, the supervision loop never waits for it (N-06).
/// </summary>
public sealed class StderrStallTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private string _fifo = "";
    private FileStream? _pipe;

    public async ValueTask InitializeAsync()
    {
        _fifo = Path.Combine(_daemon.Root, "stderr.fifo");
        using (Process mkfifo = Process.Start("mkfifo", [_fifo])!) await mkfifo.WaitForExitAsync();
        // Held open read-write (never blocks on open) and never read: the pipe fills and stays full.
        _pipe = new FileStream(_fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        _daemon.WriteService("web", $$"""
            process:
              working_directory: {{_daemon.WorkDir("web")}}
              start_command: ["/bin/sleep", "100000"]
            restart_policy:
              policy: always
              restart_backoff_ms: 100
              tolerance:
                max_restarts: 100
                duration: 1m
            """);
        await _daemon.StartAsync(stderrPath: _fifo);
        await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(20), "web RUNNING");
    }

    public async ValueTask DisposeAsync()
    {
        await _daemon.DisposeAsync();
        if (_pipe is not null) await _pipe.DisposeAsync();
    }

    [Fact]
    public async Task StderrNeverRead_StatusCommandsAndRestartsGoOn_DroppedLinesCountedWhenItDrains()
    {
        // 15,000 events: far more than the 64 KiB pipe and the 10,000-line queue. Every call is answered.
        await using (DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath))
        {
            for (int i = 0; i < 7_500; i++)
            {
                JsonElement set = await client.CallAsync("flag", "{\"name\":\"web\",\"flags\":[\"f\"]}");
                Assert.True(set.TryGetProperty("result", out _), set.ToString());
                JsonElement unset = await client.CallAsync("unflag", "{\"name\":\"web\",\"flags\":[\"f\"]}");
                Assert.True(unset.TryGetProperty("result", out _), unset.ToString());
            }
        }

        // A crashed service is restarted while stderr is still blocked.
        ServiceStatus before = await ServiceStatus.ReadAsync(_daemon, "web");
        Process.GetProcessById(before.Pids[0]).Kill();
        await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "RUNNING" && s.Pids.Count > 0 && s.Pids[0] != before.Pids[0],
            TimeSpan.FromSeconds(20), "web restarted after the kill");
        await _daemon.WaitForLogFileAsync("app=web restart in", TimeSpan.FromSeconds(10));

        // Drain the pipe: the sink writes again, first the count of what it dropped.
        var drained = new StringBuilder();
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        byte[] buffer = new byte[64 * 1024];
        while (!drained.ToString().Contains("event lines were not written to stderr", StringComparison.Ordinal))
        {
            int n = await _pipe!.ReadAsync(buffer, reading.Token);
            drained.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        Assert.Matches(@"\[daemon\] \d+ event lines were not written to stderr: it did not keep up", drained.ToString());
    }
}
