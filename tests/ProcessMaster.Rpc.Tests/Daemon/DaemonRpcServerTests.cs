using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Rpc.Tests.Support;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Daemon;

[SupportedOSPlatform("linux")]
public class DaemonRpcServerTests
{
    [Fact]
    public async Task ManyConcurrentClients_AllAnswered()
    {
        using var dir = new TempDirectory();
        await using var server = new DaemonRpcServer(new FakeSupervisor(), new UnixSocketOptions(dir.File("pm.sock")));
        server.Start();
        Task[] clients = [.. Enumerable.Range(0, 50).Select(async i =>
        {
            await using DaemonSocket client = await DaemonSocket.ConnectAsync(server.SocketPath);
            for (int j = 0; j < 5; j++)
            {
                JsonElement reply = await client.CallLineAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{j},\"method\":\"status\",\"params\":{{\"name\":\"web\"}}}}");
                Assert.Equal(j, reply.GetProperty("id").GetInt32());
            }
        })];
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task NeverReadingClient_DoesNotBlockOthers_AndIsDropped()
    {
        using var dir = new TempDirectory();
        var options = new RpcServerOptions { WriteTimeout = TimeSpan.FromMilliseconds(500) };
        await using var server = new DaemonRpcServer(new FakeSupervisor(), new UnixSocketOptions(dir.File("pm.sock")), options);
        server.Start();

        using var greedy = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        greedy.ReceiveBufferSize = 4096;
        await greedy.ConnectAsync(new UnixDomainSocketEndPoint(server.SocketPath), TestContext.Current.CancellationToken);
        string request = """{"jsonrpc":"2.0","id":1,"method":"status"}""" + "\n";
        byte[] burst = System.Text.Encoding.UTF8.GetBytes(DaemonSocket.HandshakeLine(ProcessMaster.Protocol.BuildInfo.Host, ProcessMaster.Protocol.BuildInfo.Time) + "\n" + string.Concat(Enumerable.Repeat(request, 5000)));
        using var sendTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task sending = Task.Run(async () =>
        {
            try { await greedy.SendAsync(burst, SocketFlags.None, sendTimeout.Token); }
            catch (Exception e) when (e is SocketException or OperationCanceledException) { }
        }, TestContext.Current.CancellationToken);

        await using (DaemonSocket other = await DaemonSocket.ConnectAsync(server.SocketPath, handshake: false))
        {
            await other.HandshakeAsync();
            Errors.Result(await other.CallLineAsync("""{"jsonrpc":"2.0","id":1,"method":"status"}"""));
        }

        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (server.ConnectionCount > 0 && DateTime.UtcNow < deadline) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(0, server.ConnectionCount);
        await sendTimeout.CancelAsync();
        await sending;
    }

    [Fact]
    public async Task OverConnectionLimit_BusyErrorThenClose()
    {
        using var dir = new TempDirectory();
        await using var server = new DaemonRpcServer(new FakeSupervisor(), new UnixSocketOptions(dir.File("pm.sock")), new RpcServerOptions { MaxConnections = 1 });
        server.Start();
        await using DaemonSocket first = await DaemonSocket.ConnectAsync(server.SocketPath);
        await using DaemonSocket second = await DaemonSocket.ConnectAsync(server.SocketPath, handshake: false);
        (int code, string message) = Errors.Of(await second.ReadAsync("the busy refusal"));
        Assert.Equal(RpcErrorCodes.Busy, code);
        Assert.Contains("too many connections (limit 1)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_StreamsNotifications_AndReleasesOnClose()
    {
        using var dir = new TempDirectory();
        var fake = new FakeSupervisor();
        await using var server = new DaemonRpcServer(fake, new UnixSocketOptions(dir.File("pm.sock")));
        server.Start();
        await using (DaemonSocket client = await DaemonSocket.ConnectAsync(server.SocketPath, handshake: false))
        {
            await client.HandshakeAsync();
            JsonElement backlog = Errors.Result(await client.CallLineAsync("""{"jsonrpc":"2.0","id":2,"method":"logs_follow","params":{"name":"web"}}"""));
            Assert.Equal("old", backlog.GetProperty("files")[0].GetProperty("lines")[0].GetString());
            await fake.LiveLines.Writer.WriteAsync(new LogLineNotification { Path = "/srv/web/stdout.log", App = "web", Line = "new" }, TestContext.Current.CancellationToken);
            JsonElement note = await client.ReadAsync("a logs_line notification");
            Assert.Equal("logs_line", note.GetProperty("method").GetString());
            Assert.Equal("new", note.GetProperty("params").GetProperty("line").GetString());
            Assert.False(note.TryGetProperty("id", out _));
            JsonElement again = await client.CallLineAsync("""{"jsonrpc":"2.0","id":3,"method":"logs_follow"}""");
            Assert.Equal(RpcErrorCodes.Refused, Errors.Of(again).Code);
        }
        await fake.FollowClosed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Follow_SlowReader_LinesDroppedAndCounted()
    {
        var fake = new FakeSupervisor();
        await using var h = new ConnectionHarness(new RpcServerOptions { FollowQueueCapacity = 4 }, fake, pipeLimit: 64 * 1024);
        await h.Client.HandshakeAsync();
        Errors.Result(await h.Client.CallLineAsync("""{"jsonrpc":"2.0","id":2,"method":"logs_follow","params":{"name":"web"}}"""));
        for (int i = 0; i < 20_000; i++)
        {
            await fake.LiveLines.Writer.WriteAsync(new LogLineNotification { Path = "/p", Line = new string('x', 100) + i }, TestContext.Current.CancellationToken);
        }
        long lines = 0, dropped = 0;
        while (lines + dropped < 20_000)
        {
            JsonElement note = await h.Client.ReadAsync("follow notifications");
            if (note.GetProperty("method").GetString() == "logs_dropped") dropped += note.GetProperty("params").GetProperty("dropped").GetInt64();
            else lines++;
        }
        Assert.True(dropped > 0, "a slow reader should have lost lines");
        Assert.Equal(20_000, lines + dropped);
    }

    [Fact]
    public async Task Dispose_RemovesSocketAndClosesClients()
    {
        using var dir = new TempDirectory();
        var server = new DaemonRpcServer(new FakeSupervisor(), new UnixSocketOptions(dir.File("pm.sock")));
        server.Start();
        DaemonSocket client = await DaemonSocket.ConnectAsync(server.SocketPath);
        await server.DisposeAsync();
        Assert.False(File.Exists(dir.File("pm.sock")));
        Assert.Null(await client.ReadLineAsync(awaiting: "the close at shutdown"));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Shutdown_ServerClosingWhileTheCallIsAnswered_TheCallerStillGetsTheReply()
    {
        using var dir = new TempDirectory();
        var fake = new FakeSupervisor();
        var server = new DaemonRpcServer(fake, new UnixSocketOptions(dir.File("pm.sock")));
        server.Start();
        Task? closing = null;
        fake.DuringShutdown = async () =>
        {
            // As the daemon does: shutdown starts closing the server before the reply is written.
            closing = server.DisposeAsync().AsTask();
            DateTime deadline = DateTime.UtcNow.AddSeconds(10);
            while (File.Exists(dir.File("pm.sock")))
            {
                Assert.True(DateTime.UtcNow < deadline, "the server did not start closing");
                await Task.Delay(10);
            }
        };
        await using DaemonSocket client = await DaemonSocket.ConnectAsync(server.SocketPath);
        JsonElement reply = Errors.Result(await client.CallLineAsync("""{"jsonrpc":"2.0","id":7,"method":"shutdown"}"""));
        Assert.Equal("shutting down; services keep running", reply.GetProperty("message").GetString());
        Assert.Null(await client.ReadLineAsync(awaiting: "the close after the reply"));
        await closing!.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }
}
