using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Framing;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Rpc;

/// <summary>
/// pmctl's side of the socket: connect (to a trusted peer only), handshake with this binary's build stamp, call
/// methods one at a time, and read the notifications that follow <c>logs_follow</c>. Nothing waits forever and no
/// reply may grow without bound (N-08): every step has a timeout and a reply line is capped
/// (<see cref="RpcClientOptions"/>); each failure is a <see cref="CliException"/> that says what happened.
/// </summary>
internal sealed class RpcClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly BlockingSocketStream _stream;
    private readonly LineReader _reader;
    private readonly RpcClientOptions _options;
    private readonly string _path;
    private readonly Queue<ReplyLine> _notifications = new();
    private long _nextId;
    private byte[]? _pendingHandshake;
    private long _handshakeId;

    private RpcClient(Socket socket, string path, RpcClientOptions options)
    {
        _socket = socket;
        _path = path;
        _options = options;
        _stream = new BlockingSocketStream(socket);
        _reader = new LineReader(_stream, options.MaxReplyBytes);
    }

    /// <summary>Connects to the daemon's socket and checks who serves it; a failure names the path and the reason.</summary>
    public static Task<RpcClient> ConnectAsync(string path, RpcClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // Blocking I/O on the calling thread (BlockingSocketStream): no socket engine, no thread-pool hand-offs.
            if (!BlockingSocketStream.TryConnect(socket, new UnixDomainSocketEndPoint(path), options.ConnectTimeout, cancellationToken))
            {
                throw new CliException($"failed to connect to processmaster socket {path}: no connection within {Seconds(options.ConnectTimeout)} " +
                                       "(the daemon is not accepting: hung, or its listen queue is full); try again, or check the daemon");
            }
            socket.SendTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
            options.Trust.Check(path, PeerCredentials.TryRead(socket));
            return Task.FromResult(new RpcClient(socket, path, options));
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            socket.Dispose();
            string reason = e is SocketException s ? $"{Describe(s.SocketErrorCode)} ({s.SocketErrorCode})" : e.Message;
            throw new CliException($"failed to connect to processmaster socket {path}: {reason}; is the daemon running, and is this the socket of its unix_socket.path?", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "Connection refused: nothing listens there (a stale socket?)",
        SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => "No such socket",
        SocketError.AccessDenied => "Permission denied: check unix_socket.mode/owner/group, or use sudo",
        _ => "connect failed",
    };

    /// <summary>
    /// Queues the co-built handshake (this pmctl's build stamp): it goes out in the same write as the first call,
    /// and that call reads its reply first, so the handshake costs no round trip of its own. A refusal (not
    /// co-built) ends that call with the daemon's error before its own request is looked at; the daemon closes then.
    /// </summary>
    public void QueueHandshake()
    {
        _handshakeId = ++_nextId;
        _pendingHandshake = Line(_handshakeId, RpcMethodNames.Handshake, HandshakeParams);
    }

    /// <summary>
    /// This pmctl's <see cref="Protocol.Methods.HandshakeParams"/>, written as the protocol context writes them
    /// (<c>RequestLineTests</c>), without setting up the serializer's metadata for them.
    /// </summary>
    internal static void HandshakeParams(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("build_host"u8, BuildInfo.Host);
        writer.WriteString("build_time"u8, BuildInfo.Time);
        writer.WriteString("client"u8, "pmctl");
        writer.WriteEndObject();
    }

    /// <summary>Calls a method with typed params and result.</summary>
    public Task<TResult> CallAsync<TParams, TResult>(string method, TParams @params, JsonTypeInfo<TParams> paramsInfo,
        JsonTypeInfo<TResult> resultInfo, CancellationToken cancellationToken) =>
        TimedAsync(method, () => CallAsync(method, @params, paramsInfo, resultInfo, _options.ReplyTimeout(method), cancellationToken));

    /// <summary>Calls a method; returns its raw <c>result</c>, or throws <see cref="RpcCallException"/> with the daemon's error.</summary>
    public Task<JsonElement> CallAsync(string method, JsonElement? @params, CancellationToken cancellationToken) =>
        TimedAsync(method, async () => Element(await CallAsync(method, Writer(@params), _options.ReplyTimeout(method), cancellationToken).ConfigureAwait(false)));

    /// <summary>
    /// Calls a method whose params <paramref name="writeParams"/> writes (one JSON value); returns its raw <c>result</c>
    /// (UTF-8, empty when absent), for a command that reads it with <see cref="Utf8JsonReader"/>.
    /// </summary>
    public Task<ReadOnlyMemory<byte>> CallRawAsync(string method, Action<Utf8JsonWriter> writeParams, CancellationToken cancellationToken) =>
        TimedAsync(method, () => CallAsync(method, writeParams, _options.ReplyTimeout(method), cancellationToken));

    /// <summary>A raw result as an element (default, i.e. undefined, when the reply had none).</summary>
    private static JsonElement Element(ReadOnlyMemory<byte> raw) => raw.IsEmpty ? default : JsonElement.Parse(raw.Span);

    private static Action<Utf8JsonWriter>? Writer(JsonElement? @params) => @params is { } value ? value.WriteTo : null;

    private async Task<TResult> CallAsync<TParams, TResult>(string method, TParams @params, JsonTypeInfo<TParams> paramsInfo,
        JsonTypeInfo<TResult> resultInfo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        JsonElement result = Element(await CallAsync(method, Writer(JsonSerializer.SerializeToElement(@params, paramsInfo)), timeout, cancellationToken).ConfigureAwait(false));
        try
        {
            return result.Deserialize(resultInfo) ?? throw new CliException($"{method}: the daemon sent an empty result");
        }
        catch (JsonException e)
        {
            throw new CliException($"{method}: the daemon's result is not what this pmctl expects: {e.Message}", e);
        }
    }

    private async Task<ReadOnlyMemory<byte>> CallAsync(string method, Action<Utf8JsonWriter>? writeParams, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long id = ++_nextId;
        byte[] line = Line(id, method, writeParams);
        byte[]? handshake = _pendingHandshake;
        _pendingHandshake = null;
        if (handshake is not null) line = [.. handshake, .. line];
        try
        {
            // A blocking send, bounded by the socket's send timeout (ConnectAsync); no timer (its thread is start-up time).
            await _stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new CliException($"{method}: the daemon closed the connection: {e.Message}", e);
        }
        if (handshake is not null)
        {
            try
            {
                await ReadReplyAsync(RpcMethodNames.Handshake, _handshakeId, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (ReplyTimeoutException)
            {
                throw HandshakeTimeout();
            }
        }
        return await ReadReplyAsync(method, id, timeout, cancellationToken).ConfigureAwait(false);
    }

    private CliException HandshakeTimeout() =>
        new($"processmaster socket {_path}: no answer to the handshake within {Seconds(_options.ConnectTimeout)}; " +
            "the daemon is hung, or this is not a processmaster socket; check unix_socket.path and the daemon's log");

    /// <summary>
    /// One request line, as <see cref="ProtocolJsonContext"/> writes a <see cref="JsonRpcRequest"/> (same members, order
    /// and escaping), written directly: the serializer's metadata for the request was start-up time in every call.
    /// </summary>
    internal static byte[] Line(long id, string method, JsonElement? @params) => Line(id, method, Writer(@params));

    /// <inheritdoc cref="Line(long, string, JsonElement?)"/>
    internal static byte[] Line(long id, string method, Action<Utf8JsonWriter>? writeParams)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, JsonRpcVersion.Value);
            writer.WriteNumber("id"u8, id);
            writer.WriteString("method"u8, method);
            if (writeParams is not null)
            {
                writer.WritePropertyName("params"u8);
                writeParams(writer);
            }
            writer.WriteEndObject();
        }
        System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads until the reply to <paramref name="id"/> (notifications are queued for the follow loop).</summary>
    private async Task<ReadOnlyMemory<byte>> ReadReplyAsync(string method, long id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            TimeSpan left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            (ReplyLine? message, bool quiet) = await ReadMessageAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (quiet) throw new ReplyTimeoutException(timeout);
            if (message is null) throw new CliException($"{method}: the daemon closed the connection without a reply (see its log)");
            if (message.Method is not null)
            {
                _notifications.Enqueue(message);
                continue;
            }
            if (message.Error is JsonRpcError error)
            {
                if (!message.HasId || message.NumericId == id) throw new RpcCallException(error.Code, error.Message);
                continue;
            }
            if (message.NumericId == id) return message.Result;
        }
    }

    /// <summary>How long a silent follow waits before <see cref="ProbeAsync"/>.</summary>
    public TimeSpan FollowProbeInterval => _options.FollowProbeInterval;

    /// <summary>
    /// The next server notification. <c>Quiet</c> when nothing arrived for <paramref name="quietAfter"/> (the caller may
    /// probe the daemon); a null message when the daemon closed the connection.
    /// </summary>
    public async Task<(JsonRpcResponse? Message, bool Quiet)> ReadNotificationAsync(TimeSpan quietAfter, CancellationToken cancellationToken)
    {
        if (_notifications.TryDequeue(out ReplyLine? queued)) return (Notification(queued), false);
        while (true)
        {
            (ReplyLine? message, bool quiet) = await ReadMessageAsync(quietAfter, cancellationToken).ConfigureAwait(false);
            if (quiet || message is null || message.Method is not null) return (message is null ? null : Notification(message), quiet);
        }
    }

    /// <summary>Asks the daemon for its version only to learn that it still answers (while following logs).</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        TimeSpan timeout = _options.ReplyTimeout(RpcMethodNames.ServerVersion);
        try
        {
            await CallAsync(RpcMethodNames.ServerVersion, null, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplyTimeoutException)
        {
            throw new CliException($"the daemon stopped answering (nothing for {Seconds(_options.FollowProbeInterval + timeout)} on {_path}); following ended; check the daemon");
        }
    }

    private static JsonRpcResponse Notification(ReplyLine line) =>
        new() { Method = line.Method, Params = line.Params.IsEmpty ? null : JsonElement.Parse(line.Params.Span) };

    private async Task<(ReplyLine? Message, bool Quiet)> ReadMessageAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        LineReadResult read;
        try
        {
            read = await _reader.ReadLineAsync(wait, wait, wait, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return (null, false);
        }
        switch (read.Status)
        {
            case LineReadStatus.Eof:
                return (null, false);
            case LineReadStatus.TooLong:
                throw new CliException($"the reply from {_path} exceeds {_options.MaxReplyBytes / (1024 * 1024)} MiB; refused " +
                                       "(a processmaster reply is never that large, except `pmctl logs` with a huge -n: ask for fewer lines)");
            case LineReadStatus.Line:
                break;
            default:
                return (null, true);
        }
        try
        {
            return (ReplyLine.Parse(read.Line.Span), false);
        }
        catch (JsonException e)
        {
            throw new CliException($"the daemon sent a line that is not JSON-RPC: {e.Message}", e);
        }
    }

    private async Task<T> TimedAsync<T>(string method, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ReplyTimeoutException e)
        {
            string next = RpcClientOptions.IsAction(method)
                ? "the daemon may still be carrying it out: check with `pmctl status`; `--timeout SECONDS` waits longer"
                : "the daemon may be overloaded or hung; `--timeout SECONDS` waits longer";
            throw new CliException($"{method}: no reply from the daemon within {Seconds(e.Timeout)} (socket {_path}); {next}");
        }
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.#} s";

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    /// <summary>A reply did not arrive in time (turned into an operator message by the caller).</summary>
    private sealed class ReplyTimeoutException(TimeSpan timeout) : Exception($"no reply within {timeout}")
    {
        public TimeSpan Timeout { get; } = timeout;
    }
}
