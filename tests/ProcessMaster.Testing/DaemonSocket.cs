using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ProcessMaster.Protocol;

namespace ProcessMaster.Testing;

/// <summary>
/// A raw JSON-RPC line client of the daemon's protocol, over a daemon's unix socket or any stream (an in-memory pipe
/// to a connection under test): lines out, lines in, with timeouts that say what was awaited.
/// </summary>
public sealed class DaemonSocket : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Socket? _socket;
    private readonly Stream _stream;
    private readonly StreamReader _reader;
    private int _id;

    /// <summary>The client end of <paramref name="stream"/> (owned: disposed with this client).</summary>
    public DaemonSocket(Stream stream)
    {
        _stream = stream;
        _reader = new StreamReader(stream, new UTF8Encoding(false), false, 4096, leaveOpen: true);
    }

    private DaemonSocket(Socket socket)
        : this(new NetworkStream(socket, ownsSocket: true))
    {
        _socket = socket;
    }

    /// <summary>Connects, and unless <paramref name="handshake"/> is false, does the co-built handshake with this build's stamp.</summary>
    public static async Task<DaemonSocket> ConnectAsync(string path, bool handshake = true)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        var client = new DaemonSocket(socket);
        if (handshake) await client.HandshakeAsync();
        return client;
    }

    /// <summary>A whole handshake request line (without the newline) with the given build stamp.</summary>
    public static string HandshakeLine(string host, string time, int id = 0) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"handshake\",\"params\":{HandshakeParams(host, time)}}}";

    /// <summary>The co-built handshake with this build's stamp; throws when it is refused.</summary>
    public async Task HandshakeAsync()
    {
        JsonElement reply = await CallAsync("handshake", HandshakeParams(BuildInfo.Host, BuildInfo.Time));
        if (!reply.TryGetProperty("result", out _)) throw new InvalidOperationException($"handshake refused: {reply}");
    }

    /// <summary>Calls <paramref name="method"/> with raw JSON params and returns the whole reply object.</summary>
    public Task<JsonElement> CallAsync(string method, string paramsJson = "{}") =>
        CallLineAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{++_id},\"method\":\"{method}\",\"params\":{paramsJson}}}");

    /// <summary>Sends one whole request line as it is and returns the next line as JSON.</summary>
    public async Task<JsonElement> CallLineAsync(string line)
    {
        await SendLineAsync(line);
        return await ReadAsync($"the reply to {line[..Math.Min(line.Length, 80)]}");
    }

    /// <summary>Sends bytes as they are (a frame, garbage, half a line).</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
        await _stream.FlushAsync(cts.Token);
    }

    public Task SendLineAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>The next line as JSON; throws when the peer closed instead.</summary>
    public async Task<JsonElement> ReadAsync(string awaiting = "a reply")
    {
        string line = await ReadLineAsync(awaiting: awaiting) ?? throw new IOException($"the peer closed the connection while the test awaited {awaiting}");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>
    /// The next line, or null when the peer closed the connection: an orderly end of stream, or a reset (a daemon
    /// that closes while bytes the client sent are still unread makes the kernel reset the connection).
    /// </summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null, string awaiting = "a line")
    {
        TimeSpan limit = timeout ?? Timeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            return await _reader.ReadLineAsync(cts.Token);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return null;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no line within {limit.TotalSeconds:0.#} s while awaiting {awaiting}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        _socket?.Dispose();
    }

    private static string HandshakeParams(string host, string time) =>
        $"{{\"build_host\":{JsonSerializer.Serialize(host, ProtocolJsonContext.Default.String)},\"build_time\":{JsonSerializer.Serialize(time, ProtocolJsonContext.Default.String)},\"client\":\"test\"}}";
}
