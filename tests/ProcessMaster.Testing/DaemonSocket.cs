using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ProcessMaster.Protocol;

namespace ProcessMaster.Testing;

/// <summary>A raw JSON-RPC connection to a daemon's socket: one line out, one line in, with timeouts.</summary>
public sealed class DaemonSocket : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private int _id;

    private DaemonSocket(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
    }

    /// <summary>Connects, and unless <paramref name="handshake"/> is false, does the co-built handshake with this build's stamp.</summary>
    public static async Task<DaemonSocket> ConnectAsync(string path, bool handshake = true)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        var client = new DaemonSocket(socket);
        if (handshake)
        {
            JsonElement reply = await client.CallAsync("handshake",
                $"{{\"build_host\":{JsonSerializer.Serialize(BuildInfo.Host, ProtocolJsonContext.Default.String)},\"build_time\":{JsonSerializer.Serialize(BuildInfo.Time, ProtocolJsonContext.Default.String)},\"client\":\"test\"}}");
            if (!reply.TryGetProperty("result", out _)) throw new InvalidOperationException($"handshake refused: {reply}");
        }
        return client;
    }

    /// <summary>Calls <paramref name="method"/> with raw JSON params and returns the whole reply object.</summary>
    public async Task<JsonElement> CallAsync(string method, string paramsJson = "{}")
    {
        int id = ++_id;
        await SendLineAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{paramsJson}}}");
        string line = await ReadLineAsync() ?? throw new IOException($"the daemon closed the connection instead of answering {method}");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Sends bytes as they are (a frame, garbage, half a line).</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    public Task SendLineAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>
    /// The next line, or null when the daemon closed the connection: an orderly end of stream, or a reset (a daemon
    /// that closes while bytes the client sent are still unread makes the kernel reset the connection).
    /// </summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            return await _reader.ReadLineAsync(cts.Token);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
