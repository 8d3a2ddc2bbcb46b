using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Framing;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// One client connection: reads one JSON-RPC request per line (1 MiB cap), requires a co-built <c>handshake</c>
/// first (within <see cref="RpcServerOptions.HandshakeTimeout"/> of connecting), answers each request in order, and
/// streams <c>logs_follow</c> lines as notifications. Every malformed line gets an error reply; only an oversized
/// line, a line the shared buffer budget cannot hold, a failed or late handshake, or a timeout ends the connection.
/// Works over any duplex <see cref="Stream"/> (unix socket, in-memory pipe in tests).
/// </summary>
internal sealed partial class JsonRpcConnection : IAsyncDisposable
{
    private static readonly TimeSpan DrainBudget = TimeSpan.FromSeconds(1);
    private const long DrainMaxBytes = 16L * 1024 * 1024;

    /// <summary>Longest handshake field (build_host, build_time, client) repeated in a message or the daemon log.</summary>
    public const int MaxClientFieldChars = 64;

    private readonly Stream _stream;
    private readonly RpcMethods _methods;
    private readonly RpcCaller _caller;
    private readonly RpcServerOptions _options;
    private readonly LineBudget? _budget;
    private readonly Action<string>? _log;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _stopReading = new();
    private bool _handshaken;
    private Task? _followTask;
    private int _disposed;

    /// <summary>Creates the connection; <see cref="RunAsync"/> serves it.</summary>
    /// <param name="stream">The duplex byte stream; owned (disposed) by the connection.</param>
    /// <param name="methods">The method table.</param>
    /// <param name="caller">Who is on the other end (peer credentials).</param>
    /// <param name="options">Limits and timeouts; null = defaults.</param>
    /// <param name="budget">Request-buffer bytes shared by all connections; null = no shared limit.</param>
    /// <param name="log">Diagnostics sink (dropped clients, internal errors); may be null.</param>
    public JsonRpcConnection(Stream stream, RpcMethods methods, RpcCaller caller, RpcServerOptions? options = null,
        LineBudget? budget = null, Action<string>? log = null)
    {
        _stream = stream;
        _methods = methods;
        _caller = caller;
        _options = options ?? new RpcServerOptions();
        _budget = budget;
        _log = log;
    }

    /// <summary>Who is on the other end.</summary>
    public RpcCaller Caller => _caller;

    /// <summary>Serves requests until the client leaves, a fatal condition closes the connection, or <paramref name="cancellationToken"/> fires; then closes the stream. Never throws for client faults.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
        CancellationToken ct = linked.Token;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopReading.Token);
        using var reader = new LineReader(_stream, _options.MaxRequestBytes, _budget);
        long connectedAt = Stopwatch.GetTimestamp();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                TimeSpan idle = _followTask is null ? _options.IdleTimeout : Timeout.InfiniteTimeSpan;
                TimeSpan handshakeLeft = _options.RequireHandshake && !_handshaken
                    ? Max(TimeSpan.Zero, _options.HandshakeTimeout - Stopwatch.GetElapsedTime(connectedAt))
                    : Timeout.InfiniteTimeSpan;
                LineReadResult read = await reader.ReadLineAsync(idle, _options.LineTimeout, handshakeLeft, reading.Token).ConfigureAwait(false);
                switch (read.Status)
                {
                    case LineReadStatus.Eof:
                        return;
                    case LineReadStatus.IdleTimeout:
                        _log?.Invoke($"rpc client {_caller}: idle for {_options.IdleTimeout.TotalSeconds:0} s; connection closed");
                        return;
                    case LineReadStatus.LineTimeout:
                        await SendErrorAsync(null, new RpcException(RpcErrorCodes.InvalidRequest,
                            $"invalid request: the request line was not complete within {_options.LineTimeout.TotalSeconds:0.#} s of its first byte; closing the connection"), ct).ConfigureAwait(false);
                        return;
                    case LineReadStatus.DeadlineReached:
                        _log?.Invoke($"rpc client {_caller}: no handshake within {_options.HandshakeTimeout.TotalSeconds:0.#} s of connecting; connection closed");
                        await SendErrorAsync(null, new RpcException(RpcErrorCodes.HandshakeRequired,
                            $"handshake: not completed within {_options.HandshakeTimeout.TotalSeconds:0.#} s of connecting; closing the connection; call \"handshake\" first (docs/rpc.md)"), ct).ConfigureAwait(false);
                        return;
                    case LineReadStatus.OverBudget:
                        _log?.Invoke($"rpc client {_caller}: request refused: the shared request buffer ({_budget?.Limit ?? 0} bytes) is full; connection closed");
                        await SendErrorAsync(null, new RpcException(RpcErrorCodes.Busy,
                            $"request refused: the daemon is buffering too many large requests ({_budget?.Limit ?? 0} bytes across all connections); closing the connection; try again shortly"), ct).ConfigureAwait(false);
                        await reader.DrainAsync(DrainMaxBytes, DrainBudget, ct).ConfigureAwait(false);
                        return;
                    case LineReadStatus.TooLong:
                        await SendErrorAsync(null, new RpcException(RpcErrorCodes.InvalidRequest,
                            $"invalid request: request exceeds the {_options.MaxRequestBytes}-byte limit (1 MiB); closing the connection; send smaller requests"), ct).ConfigureAwait(false);
                        await reader.DrainAsync(DrainMaxBytes, DrainBudget, ct).ConfigureAwait(false);
                        return;
                }
                if (IsBlank(read.Line.Span)) continue;
                if (!await HandleAsync(JsonRpcFrame.Parse(read.Line), ct).ConfigureAwait(false)) return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client left, a write timed out, or the daemon is stopping.
        }
        finally
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            if (_followTask is not null) await _followTask.ConfigureAwait(false);
            await CloseStreamAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask CloseStreamAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Closing a dead transport.
        }
    }

    /// <summary>Handles one frame; false closes the connection.</summary>
    private async Task<bool> HandleAsync(JsonRpcFrame frame, CancellationToken ct)
    {
        if (frame.Error is not null)
        {
            await SendErrorAsync(frame.Id, frame.Error, ct).ConfigureAwait(false);
            return true;
        }
        string method = frame.Method!;
        if (method == RpcMethodNames.Handshake) return await HandshakeAsync(frame, ct).ConfigureAwait(false);
        if (_options.RequireHandshake && !_handshaken)
        {
            await ReplyErrorAsync(frame, new RpcException(RpcErrorCodes.HandshakeRequired,
                $"{RpcMethods.Truncate(method, 64)}: refused: no handshake on this connection yet; call \"handshake\" first with the client's build_host and build_time (docs/rpc.md)"), ct).ConfigureAwait(false);
            return true;
        }
        if (method == RpcMethodNames.LogsFollow) return await FollowAsync(frame, ct).ConfigureAwait(false);

        RpcOutcome outcome;
        try
        {
            // A handler waiting for the supervisor (a stop in a 50-day grace period) must not hold the daemon's shutdown.
            outcome = await _methods.InvokeAsync(method, frame.Params, _caller, ct).WaitAsync(ct).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            await ReplyErrorAsync(frame, e, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await ReplyErrorAsync(frame, Internal(method, e), ct).ConfigureAwait(false);
            return true;
        }
        if (frame.HasId) await SendResultAsync(frame.Id, outcome, ct).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> HandshakeAsync(JsonRpcFrame frame, CancellationToken ct)
    {
        HandshakeParams hello;
        try
        {
            hello = RpcMethods.Bind(RpcMethodNames.Handshake, frame.Params, ProtocolJsonContext.Default.HandshakeParams);
        }
        catch (RpcException e)
        {
            await ReplyErrorAsync(frame, e, ct).ConfigureAwait(false);
            return true;
        }
        if (!BuildInfo.Matches(hello.BuildHost, hello.BuildTime))
        {
            // Client-supplied text: cut to a sane length here; the daemon log escapes control characters.
            string host = TerminalText.Truncate(hello.BuildHost, MaxClientFieldChars);
            string time = TerminalText.Truncate(hello.BuildTime, MaxClientFieldChars);
            string client = hello.Client is null ? "unknown client" : TerminalText.Truncate(hello.Client, MaxClientFieldChars);
            var data = new NotCoBuiltData
            {
                Daemon = new BuildStamp { BuildHost = BuildInfo.Host, BuildTime = BuildInfo.Time },
                Client = new BuildStamp { BuildHost = host, BuildTime = time },
            };
            _log?.Invoke($"rpc client {_caller} ({client}): refused: not co-built (client built on {host} at {time})");
            await SendErrorAsync(frame.Id, new RpcException(RpcErrorCodes.NotCoBuilt,
                BuildInfo.NotCoBuiltMessage(host, time),
                JsonSerializer.SerializeToElement(data, ProtocolJsonContext.Default.NotCoBuiltData)), ct).ConfigureAwait(false);
            return false;
        }
        _handshaken = true;
        if (frame.HasId)
        {
            var result = new HandshakeResult { BuildHost = BuildInfo.Host, BuildTime = BuildInfo.Time, ProtocolVersion = JsonRpcVersion.ProtocolVersion };
            await SendResultAsync(frame.Id, RpcOutcome.Of(result, ProtocolJsonContext.Default.HandshakeResult), ct).ConfigureAwait(false);
        }
        return true;
    }

    private RpcException Internal(string method, Exception e)
    {
        _log?.Invoke($"rpc {method} from {_caller}: internal error: {e}");
        return new RpcException(RpcErrorCodes.InternalError,
            $"{RpcMethods.Truncate(method, 64)}: internal error: {e.Message}; the daemon log has details");
    }

    private ValueTask ReplyErrorAsync(JsonRpcFrame frame, RpcException error, CancellationToken ct) =>
        frame.HasId ? SendErrorAsync(frame.Id, error, ct) : ValueTask.CompletedTask;

    private ValueTask SendErrorAsync(JsonElement? id, RpcException error, CancellationToken ct) =>
        WriteAsync(JsonRpcMessages.Error(id, error), ct);

    private ValueTask SendResultAsync(JsonElement? id, RpcOutcome outcome, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        JsonRpcMessages.WriteResult(buffer, id, outcome.Value, outcome.TypeInfo);
        return WriteAsync(buffer.WrittenMemory, ct);
    }

    /// <summary>Writes one or more whole messages; a write slower than the write timeout drops the client.</summary>
    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(_options.WriteTimeout);
            try
            {
                await _stream.WriteAsync(bytes, timer.Token).ConfigureAwait(false);
                await _stream.FlushAsync(timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                _log?.Invoke($"rpc client {_caller}: not reading (a write did not finish within {_options.WriteTimeout.TotalSeconds:0} s); connection dropped");
                await _abort.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) return false;
        }
        return true;
    }

    /// <summary>
    /// Begins a graceful close: no further request is read, but the one being handled still gets its reply (a
    /// <c>shutdown</c> caller learns that the daemon is shutting down). <see cref="RunAsync"/> then ends.
    /// </summary>
    public void StopReading()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        try
        {
            _stopReading.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: nothing left to stop.
        }
    }

    /// <summary>Stops serving, waits for a running follow to end and closes the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _abort.CancelAsync().ConfigureAwait(false);
        if (_followTask is not null)
        {
            try { await _followTask.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        await CloseStreamAsync().ConfigureAwait(false);
        _abort.Dispose();
        _stopReading.Dispose();
        _writeLock.Dispose();
    }
}
