using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ProcessMaster.Protocol;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Support;

/// <summary>A socket server that misbehaves in one chosen way, for pmctl's timeouts and reply cap.</summary>
internal sealed class RogueServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    /// <summary>How it misbehaves.</summary>
    public enum Behaviour
    {
        /// <summary>Accepts and never writes a byte.</summary>
        NeverAnswers,
        /// <summary>Answers the handshake as a co-built daemon, then never answers again.</summary>
        AnswersOnlyTheHandshake,
        /// <summary>Writes one endless line.</summary>
        EndlessLine,
    }

    public RogueServer(Behaviour behaviour)
    {
        SocketPath = _dir.File("rogue.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(8);
        _serving = Task.Run(() => ServeAsync(behaviour));
    }

    public string SocketPath { get; }

    private async Task ServeAsync(Behaviour behaviour)
    {
        var clients = new List<Socket>();
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptAsync(_stop.Token);
                clients.Add(client);
                _ = Task.Run(() => MisbehaveAsync(client, behaviour));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            foreach (Socket client in clients) client.Dispose();
        }
    }

    private async Task MisbehaveAsync(Socket client, Behaviour behaviour)
    {
        try
        {
            switch (behaviour)
            {
                case Behaviour.AnswersOnlyTheHandshake:
                    using (var stream = new NetworkStream(client, ownsSocket: false))
                    using (var reader = new StreamReader(stream, new UTF8Encoding(false), false, 4096, leaveOpen: true))
                    {
                        string? hello = await reader.ReadLineAsync(_stop.Token);
                        long id = JsonDocument.Parse(hello!).RootElement.GetProperty("id").GetInt64();
                        string reply = $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":{{\"server\":\"processmaster\",\"protocol_version\":1," +
                                       $"\"build_host\":{JsonSerializer.Serialize(BuildInfo.Host, ProtocolJsonContext.Default.String)}," +
                                       $"\"build_time\":{JsonSerializer.Serialize(BuildInfo.Time, ProtocolJsonContext.Default.String)}}}}}\n";
                        await stream.WriteAsync(Encoding.UTF8.GetBytes(reply), _stop.Token);
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }
                    break;
                case Behaviour.EndlessLine:
                    byte[] chunk = Encoding.ASCII.GetBytes(new string('x', 1 << 20));
                    while (true) await client.SendAsync(chunk, SocketFlags.None, _stop.Token);
                default:
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The client left or the test ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _serving;
        _stop.Dispose();
        _dir.Dispose();
    }
}
