using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>Limits and timeouts of the RPC server (docs/rpc.md "Limits"). The defaults suit production.</summary>
public sealed record RpcServerOptions
{
    /// <summary>Longest request line (1 MiB); a longer one gets an error reply and the connection is closed.</summary>
    public int MaxRequestBytes { get; init; } = JsonRpcVersion.MaxRequestBytes;

    /// <summary>Concurrent connections; one more is answered with a busy error and closed.</summary>
    public int MaxConnections { get; init; } = 128;

    /// <summary>Concurrent <c>logs_follow</c> sessions across all connections (the original's 64).</summary>
    public int MaxFollowers { get; init; } = 64;

    /// <summary>Notifications queued per follower before lines are dropped (and counted in <c>logs_dropped</c>).</summary>
    public int FollowQueueCapacity { get; init; } = 4096;

    /// <summary>A connection with no request for this long (and no follow running) is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A request line must be complete this long after its first byte (slow-client guard).</summary>
    public TimeSpan LineTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One write to a client must finish within this; a client that does not read is dropped.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When false (web console), methods may be called without a handshake.</summary>
    public bool RequireHandshake { get; init; } = true;
}
