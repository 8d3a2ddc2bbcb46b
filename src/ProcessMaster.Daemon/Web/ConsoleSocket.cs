using System.Net;
using System.Net.Sockets;

namespace ProcessMaster.Daemon.Web;

/// <summary>
/// The console's listening socket, bound and listening from the daemon's start to its end whether or not Kestrel runs
/// (docs/web.md, "An HTTP server only while someone browses"): a taken port or a bad address is found at start, and a
/// client never meets a refused connection while the server is stopped. Connections are accepted here, by the runtime's
/// socket engine (the thread that already serves the RPC socket, parked in <c>epoll_wait</c> without a timeout), and
/// handed to Kestrel through <see cref="ConsoleTransport"/>; Kestrel never owns or registers the listening descriptor.
/// </summary>
internal sealed class ConsoleSocket : IDisposable
{
    /// <summary>Kestrel's default accept backlog.</summary>
    private const int Backlog = 512;

    /// <summary>How soon an accept that failed for want of a resource (descriptors, memory) is tried again.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly Action<string> _fault;

    private ConsoleSocket(Socket socket, Action<string> fault)
    {
        _socket = socket;
        _fault = fault;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The address bound (the real port when 0 was configured).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Binds and listens on <paramref name="bind"/>:<paramref name="port"/> as Kestrel would (dual mode on <c>::</c>).</summary>
    /// <param name="fault">Told once per distinct accept failure (an event), never for a client that reset early.</param>
    /// <exception cref="ConsoleStartException">The address cannot be bound (in use, not local, not permitted).</exception>
    public static ConsoleSocket Listen(IPAddress bind, int port, Action<string> fault)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (bind.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(new IPEndPoint(bind, port));
            socket.Listen(Backlog);
            return new ConsoleSocket(socket, fault);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ConsoleStartException($"cannot listen on {new IPEndPoint(bind, port)}: {e.Message}; free the port or set web_console.port");
        }
    }

    /// <summary>
    /// The next connection. A client that went away before it was accepted is skipped; a lack of descriptors or memory
    /// is an event and another try after <see cref="RetryAfter"/> (one timer for something due, no loop that spins).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<Socket> AcceptAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                Socket client = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                client.NoDelay = true; // as Kestrel's own socket transport does
                return client;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                // The client gave up in the backlog: nothing to serve.
            }
            catch (SocketException e) when (!cancellationToken.IsCancellationRequested)
            {
                _fault($"cannot accept a connection on {EndPoint}: {e.Message}; trying again in {RetryAfter.TotalSeconds:0} s");
                await Task.Delay(RetryAfter, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
