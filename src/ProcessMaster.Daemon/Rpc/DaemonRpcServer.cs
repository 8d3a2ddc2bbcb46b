using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.Versioning;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Protocol.Framing;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// The JSON-RPC server of the daemon, composed: <see cref="UnixSocketListener"/> → one <see cref="JsonRpcConnection"/>
/// per client → <see cref="RpcMethods"/> → <see cref="ISupervisorApi"/>. Start it once the supervisor can answer;
/// dispose it on shutdown (stops accepting, closes clients, removes the socket file).
/// <para>Starvation guards (N-05, docs/rpc.md "Limits"): connection slots per user with some kept for root
/// (<see cref="ConnectionSlots"/>), one shared budget for request buffers (<see cref="LineBudget"/>), a handshake
/// deadline and a per-line deadline in every connection.</para>
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class DaemonRpcServer : IAsyncDisposable
{
    private static readonly TimeSpan BusyReplyTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly UnixSocketOptions _socket;
    private readonly RpcServerOptions _options;
    private readonly ISocketOwnership? _ownership;
    private readonly Action<string>? _log;
    private readonly Action<string>? _clientLog;
    private readonly RpcMethods _methods;
    private readonly ConnectionSlots _slots;
    private readonly LineBudget _budget;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<JsonRpcConnection, Task> _connections = new();
    private UnixSocketListener? _listener;
    private Task? _acceptLoop;
    private int _disposed;

    /// <summary>Composes the server; nothing is bound until <see cref="Start"/>.</summary>
    /// <param name="supervisor">Answers the methods.</param>
    /// <param name="socket">unix_socket settings.</param>
    /// <param name="options">Limits and timeouts; null = defaults.</param>
    /// <param name="ownership">Applies unix_socket.owner/group; null = chown(1).</param>
    /// <param name="log">Diagnostics (warnings, dropped clients, internal errors); may be null. What clients cause is rate-limited (<see cref="ThrottledLog"/>).</param>
    public DaemonRpcServer(ISupervisorApi supervisor, UnixSocketOptions socket, RpcServerOptions? options = null,
        ISocketOwnership? ownership = null, Action<string>? log = null)
    {
        _socket = socket;
        _options = options ?? new RpcServerOptions();
        _ownership = ownership;
        _log = log;
        _clientLog = log is null ? null : new ThrottledLog(log).Write;
        _methods = new RpcMethods(supervisor);
        IReadOnlySet<int> privileged = _options.PrivilegedUids ?? new HashSet<int> { 0, (int)Privileges.EffectiveUid };
        _slots = new ConnectionSlots(_options.MaxConnections, _options.ReservedPrivilegedConnections, _options.MaxConnectionsPerUid, privileged.Contains);
        _budget = new LineBudget(_options.MaxBufferedBytes);
    }

    /// <summary>The bound socket path (absolute).</summary>
    public string SocketPath => _listener?.Path ?? Path.GetFullPath(_socket.Path);

    /// <summary>Connections being served now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Request-buffer bytes in use beyond the connections' initial buffers.</summary>
    public long BufferedBytes => _budget.InUse;

    /// <summary>Binds the socket (throws <see cref="SocketSetupException"/>, e.g. when another daemon is live on it) and starts accepting.</summary>
    public void Start() => Start(UnixSocketListener.Bind(_socket, _ownership, _log));

    /// <summary>
    /// Starts accepting on a socket bound earlier (the daemon binds as root before it drops privileges); the server
    /// disposes it with itself.
    /// </summary>
    public void Start(UnixSocketListener bound)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_listener is not null) throw new InvalidOperationException("the RPC server is already started");
        _listener = bound;
        _acceptLoop = AcceptLoopAsync(_listener, _stopping.Token);
    }

    private async Task AcceptLoopAsync(UnixSocketListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            AcceptedConnection? accepted;
            try
            {
                accepted = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (accepted is null) return;
            if (!_slots.TryTake(accepted.Caller, out IDisposable? slot, out string refusal))
            {
                _clientLog?.Invoke($"rpc: refused a client ({accepted.Caller}): {refusal}");
                _ = RefuseBusyAsync(accepted.Socket, refusal);
                continue;
            }
            var stream = new NetworkStream(accepted.Socket, ownsSocket: true);
            var connection = new JsonRpcConnection(stream, _methods, accepted.Caller, _options, _budget, _clientLog);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task serving = ServeAsync(connection, slot!, started.Task, ct);
            _connections[connection] = serving;
            started.SetResult();
        }
    }

    private async Task ServeAsync(JsonRpcConnection connection, IDisposable slot, Task registered, CancellationToken ct)
    {
        await registered.ConfigureAwait(false);
        try
        {
            await connection.RunAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log?.Invoke($"rpc client {connection.Caller}: connection failed: {e}");
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            _connections.TryRemove(connection, out _);
            slot.Dispose();
        }
    }

    /// <summary>Best effort: tell an over-limit client why, then close; never waits on it for long.</summary>
    private static async Task RefuseBusyAsync(Socket socket, string refusal)
    {
        using (socket)
        {
            try
            {
                using var timeout = new CancellationTokenSource(BusyReplyTimeout);
                byte[] reply = JsonRpcMessages.Error(null, new RpcException(RpcErrorCodes.Busy, refusal));
                await socket.SendAsync(reply, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client is gone or not reading; closing is all that is left.
            }
        }
    }

    /// <summary>
    /// Stops accepting, lets each connection finish the request it is handling (its reply is written, e.g. to the
    /// <c>shutdown</c> that caused this) for a moment, then closes every connection (ending follows), waits for them,
    /// and removes the socket file.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_listener is not null) await _listener.DisposeAsync().ConfigureAwait(false);
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        foreach (JsonRpcConnection connection in _connections.Keys) connection.StopReading();
        await Task.WhenAny(Task.WhenAll(_connections.Values), Task.Delay(CloseGrace)).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (KeyValuePair<JsonRpcConnection, Task> pair in _connections) await pair.Key.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
