using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProcessMaster.Daemon.Web;

/// <summary>
/// Kestrel's transport for one run of the console's HTTP server: connections accepted on the <see cref="ConsoleSocket"/>
/// are <see cref="Deliver"/>ed here and become Kestrel connections through Kestrel's own socket connection code
/// (<see cref="SocketConnectionContextFactory"/>), so what follows (TLS, HTTP/1.1 and HTTP/2, limits) is Kestrel's usual
/// pipeline. Why not <c>ListenHandle</c> on the listening descriptor: Kestrel registers the descriptor with the runtime's
/// epoll on its first accept and nothing removes that registration when Kestrel stops while the daemon keeps the socket
/// open, so the next run's registration fails with EEXIST and its accept loop never wakes (measured: strace, .NET 10).
/// </summary>
internal sealed class ConsoleTransport : IConnectionListenerFactory, IConnectionListenerFactorySelector, IConnectionListener, IDisposable
{
    private readonly Channel<Socket> _accepted = Channel.CreateUnbounded<Socket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SocketConnectionContextFactory _connections = new(new SocketConnectionFactoryOptions(), NullLogger.Instance);
    private int _disposed;

    public ConsoleTransport(IPEndPoint bound) => EndPoint = new ConsoleEndPoint(bound);

    /// <summary>The endpoint Kestrel listens on: the console socket's address, bound by this transport only.</summary>
    public EndPoint EndPoint { get; }

    /// <summary>Hands an accepted connection to Kestrel; false (the caller closes it) once Kestrel has stopped listening.</summary>
    public bool Deliver(Socket client) => _accepted.Writer.TryWrite(client);

    public bool CanBind(EndPoint endpoint) => endpoint is ConsoleEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint == EndPoint ? ValueTask.FromResult<IConnectionListener>(this) : throw new NotSupportedException($"{endpoint} is not the console's endpoint");

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            Socket client = await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return _connections.Create(client);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            return null; // unbound: Kestrel's accept loop ends
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _accepted.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes what was delivered and never taken, and frees the connections' buffer pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return; // Kestrel disposes its listener, the console the transport
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out Socket? left)) left.Dispose();
        _connections.Dispose();
    }

    /// <summary>The console's address as a Kestrel endpoint only this transport binds (the socket transport cannot).</summary>
    private sealed class ConsoleEndPoint(IPEndPoint bound) : EndPoint
    {
        public override AddressFamily AddressFamily => bound.AddressFamily;

        public override string ToString() => bound.ToString();
    }
}
