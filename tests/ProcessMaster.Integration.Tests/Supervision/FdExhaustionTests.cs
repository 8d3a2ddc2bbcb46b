using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ProcessMaster.Protocol;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// Audit N-17: a daemon with a low RLIMIT_NOFILE (given through <c>prlimit</c>) flooded with connections. Before, the
/// flood took every descriptor and the next spawn killed the daemon ("Out of memory." from the runtime). Now the
/// connection limit is cut to what the descriptor limit leaves room for (an event says so), the flood beyond it is
/// refused, a crashed service is spawned again meanwhile, and once the flood closes, status answers.
/// </summary>
public sealed class FdExhaustionTests : IAsyncLifetime
{
    private const int OpenFilesLimit = 200;
    private const int MaxFlood = 200;
    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private readonly List<Socket> _flood = [];

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("victim", $$"""
            process:
              working_directory: {{_daemon.WorkDir("victim")}}
              start_command: ["/bin/sleep", "4000011"]
            restart_policy:
              policy: always
              restart_backoff_ms: 100
            """);
        await _daemon.StartAsync(launcher: ["/usr/bin/prlimit", $"--nofile={OpenFilesLimit}:{OpenFilesLimit}"]);
        await ServiceStatus.WaitAsync(_daemon, "victim", s => s.Running, TimeSpan.FromSeconds(30), "victim RUNNING");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Socket socket in _flood) socket.Dispose();
        await _daemon.DisposeAsync();
    }

    [Fact]
    public async Task LowFdLimit_ConnectionFlood_RefusedBeyondTheBudget_DaemonSpawnsAndAnswersAfterwards()
    {
        string limit = File.ReadLines($"/proc/{_daemon.Pid}/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        Assert.Equal(["Max", "open", "files", "200", "200", "files"], limit.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("[rpc] RLIMIT_NOFILE (soft 200) leaves room for 36 socket connections, not 4096", _daemon.Log, StringComparison.Ordinal);
        int victim = Assert.Single((await ServiceStatus.ReadAsync(_daemon, "victim")).Pids);

        int answered = 0, refused = 0;
        while (_flood.Count < MaxFlood && refused < 20)
        {
            string reply = await ConnectAndHandshakeAsync();
            if (reply.Contains("\"result\"", StringComparison.Ordinal)) answered++;
            else if (reply.Contains("too many connections", StringComparison.Ordinal)) refused++;
            else Assert.Fail($"unexpected reply after {_flood.Count} connections: \"{reply}\"\n{_daemon.Log}");
        }
        Assert.InRange(answered, 30, 36); // 36 slots; a connection of an earlier pmctl may not be released yet
        Assert.Equal(20, refused);

        // A crash during the flood: the daemon still has the descriptors to spawn it again.
        int mark = _daemon.Log.Length;
        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", victim.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        await _daemon.WaitForLogAsync("app=victim STARTING -> RUNNING (spawned", TimeSpan.FromSeconds(30), mark);
        Assert.NotNull(_daemon.Pid);

        foreach (Socket socket in _flood) socket.Dispose();
        _flood.Clear();
        // The daemon frees the slots as it sees the connections close; until then a client may still be told "busy".
        CommandResult status = await _daemon.PmctlAsync("status");
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(30); status.ExitCode != 0 && status.Stderr.Contains("too many connections", StringComparison.Ordinal) && DateTime.UtcNow < deadline;)
            status = await _daemon.PmctlAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        ServiceStatus back = await ServiceStatus.ReadAsync(_daemon, "victim");
        Assert.True(back.Running);
        Assert.DoesNotContain(victim, back.Pids);
    }

    /// <summary>One more connection: its first reply line (a handshake result, or the refusal it gets instead).</summary>
    private async Task<string> ConnectAndHandshakeAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _flood.Add(socket);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_daemon.SocketPath), timeout.Token);
        string handshake = $"{{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"handshake\",\"params\":{{\"build_host\":{JsonSerializer.Serialize(BuildInfo.Host, ProtocolJsonContext.Default.String)},\"build_time\":{JsonSerializer.Serialize(BuildInfo.Time, ProtocolJsonContext.Default.String)},\"client\":\"flood\"}}}}\n";
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(handshake), SocketFlags.None, timeout.Token);
        }
        catch (SocketException)
        {
            // Refused and closed before the handshake was sent: the refusal is still there to read.
        }
        var reply = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!reply.ToString().Contains('\n', StringComparison.Ordinal))
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0) break;
            reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return reply.ToString();
    }
}
