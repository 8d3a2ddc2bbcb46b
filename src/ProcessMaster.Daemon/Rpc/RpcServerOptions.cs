using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>Limits and timeouts of the RPC server (docs/rpc.md "Limits"). The defaults suit production.</summary>
internal sealed record RpcServerOptions
{
    /// <summary>Longest request line (1 MiB); a longer one gets an error reply and the connection is closed.</summary>
    public int MaxRequestBytes { get; init; } = JsonRpcVersion.MaxRequestBytes;

    /// <summary>Concurrent connections; one more is answered with a busy error and closed.</summary>
    public int MaxConnections { get; init; } = 512;

    /// <summary>Of <see cref="MaxConnections"/>, the slots only root (and the daemon's own user) may take.</summary>
    public int ReservedPrivilegedConnections { get; init; } = 16;

    /// <summary>Concurrent connections of one user other than root and the daemon's own user.</summary>
    public int MaxConnectionsPerUid { get; init; } = 64;

    /// <summary>User ids that are privileged for the connection limits; null = root and the daemon's effective uid.</summary>
    public IReadOnlySet<int>? PrivilegedUids { get; init; }

    /// <summary>Bytes all request buffers together may hold beyond their initial 4 KiB each; a line that needs more is refused (busy).</summary>
    public long MaxBufferedBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Notifications queued per follower before lines are dropped (and counted in <c>logs_dropped</c>).</summary>
    public int FollowQueueCapacity { get; init; } = 4096;

    /// <summary>A connection must complete its handshake this long after it was accepted.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection with no request for this long (and no follow running) is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A request line must be complete this long after its first byte (one deadline per line, not per read).</summary>
    public TimeSpan LineTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One write to a client must finish within this; a client that does not read is dropped.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When false (web console), methods may be called without a handshake.</summary>
    public bool RequireHandshake { get; init; } = true;
}
