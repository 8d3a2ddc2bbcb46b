using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Rpc;

/// <summary>
/// pmctl's side of the socket: connect, handshake with this binary's build stamp, call methods one at a time, and
/// read the notifications that follow <c>logs_follow</c>.
/// </summary>
internal sealed class RpcClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly Queue<JsonRpcResponse> _notifications = new();
    private long _nextId;

    private RpcClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
    }

    /// <summary>Connects to the daemon's socket; a failure names the path and the reason.</summary>
    public static async Task<RpcClient> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new RpcClient(socket);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            socket.Dispose();
            string reason = e is SocketException s ? $"{Describe(s.SocketErrorCode)} ({s.SocketErrorCode})" : e.Message;
            throw new CliException($"failed to connect to processmaster socket {path}: {reason}; is the daemon running, and is this the socket of its unix_socket.path?", e);
        }
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "Connection refused: nothing listens there (a stale socket?)",
        SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => "No such socket",
        SocketError.AccessDenied => "Permission denied: check unix_socket.mode/owner/group, or use sudo",
        _ => "connect failed",
    };

    /// <summary>Sends this binary's build stamp; the daemon refuses a pmctl that was not built with it.</summary>
    public Task<HandshakeResult> HandshakeAsync(CancellationToken cancellationToken) =>
        CallAsync(RpcMethodNames.Handshake,
            new HandshakeParams { BuildHost = BuildInfo.Host, BuildTime = BuildInfo.Time, Client = "pmctl" },
            ProtocolJsonContext.Default.HandshakeParams, ProtocolJsonContext.Default.HandshakeResult, cancellationToken);

    /// <summary>Calls a method with typed params and result.</summary>
    public async Task<TResult> CallAsync<TParams, TResult>(string method, TParams @params, JsonTypeInfo<TParams> paramsInfo,
        JsonTypeInfo<TResult> resultInfo, CancellationToken cancellationToken)
    {
        JsonElement result = await CallAsync(method, JsonSerializer.SerializeToElement(@params, paramsInfo), cancellationToken).ConfigureAwait(false);
        try
        {
            return result.Deserialize(resultInfo) ?? throw new CliException($"{method}: the daemon sent an empty result");
        }
        catch (JsonException e)
        {
            throw new CliException($"{method}: the daemon's result is not what this pmctl expects: {e.Message}", e);
        }
    }

    /// <summary>Calls a method; returns its raw <c>result</c>, or throws <see cref="RpcCallException"/> with the daemon's error.</summary>
    public async Task<JsonElement> CallAsync(string method, JsonElement? @params, CancellationToken cancellationToken)
    {
        long id = ++_nextId;
        var request = new JsonRpcRequest { Id = JsonSerializer.SerializeToElement(id, ProtocolJsonContext.Default.Int64), Method = method, Params = @params };
        byte[] line = JsonSerializer.SerializeToUtf8Bytes(request, ProtocolJsonContext.Default.JsonRpcRequest);
        try
        {
            await _stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            await _stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new CliException($"{method}: the daemon closed the connection: {e.Message}", e);
        }
        while (true)
        {
            JsonRpcResponse message = await ReadMessageAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new CliException($"{method}: the daemon closed the connection without a reply (see its log)");
            if (message.Method is not null)
            {
                _notifications.Enqueue(message);
                continue;
            }
            if (message.Error is JsonRpcError error)
            {
                if (message.Id is null || IdEquals(message.Id.Value, id)) throw new RpcCallException(error.Code, error.Message);
                continue;
            }
            if (message.Id is JsonElement replyId && IdEquals(replyId, id)) return message.Result ?? default;
        }
    }

    /// <summary>The next server notification, or null when the daemon closed the connection.</summary>
    public async Task<JsonRpcResponse?> ReadNotificationAsync(CancellationToken cancellationToken)
    {
        if (_notifications.TryDequeue(out JsonRpcResponse? queued)) return queued;
        while (true)
        {
            JsonRpcResponse? message = await ReadMessageAsync(cancellationToken).ConfigureAwait(false);
            if (message is null || message.Method is not null) return message;
        }
    }

    private async Task<JsonRpcResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return null;
        }
        if (line is null) return null;
        try
        {
            return JsonSerializer.Deserialize(line, ProtocolJsonContext.Default.JsonRpcResponse)
                ?? throw new CliException("the daemon sent an empty message");
        }
        catch (JsonException e)
        {
            throw new CliException($"the daemon sent a line that is not JSON-RPC: {e.Message}", e);
        }
    }

    private static bool IdEquals(JsonElement element, long id) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long value) && value == id;

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}
