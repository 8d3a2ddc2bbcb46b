namespace ProcessMaster.Cli.Rpc;

/// <summary>
/// How far pmctl trusts and waits for the socket (N-08): whose socket it talks to, how long it waits for the
/// connection, the handshake and each reply, and the largest reply line it reads.
/// </summary>
internal sealed record RpcClientOptions
{
    /// <summary>Longest reply line pmctl reads (64 MiB); a longer one is refused, whoever sends it.</summary>
    public const int DefaultMaxReplyBytes = 64 * 1024 * 1024;

    /// <summary>Wait for a read-only call's reply (status, events, logs, ...).</summary>
    public static readonly TimeSpan DefaultQuickTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Wait for a call that changes things and answers when done (start, stop, restart, update, ...).</summary>
    public static readonly TimeSpan DefaultActionTimeout = TimeSpan.FromSeconds(300);

    /// <summary>Wait for the connection and for the handshake's answer.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Which peer uids pmctl talks to.</summary>
    public required PeerTrust Trust { get; init; }

    /// <summary>Every call's reply timeout (<c>--timeout</c>); null = the defaults above by method.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Largest reply line.</summary>
    public int MaxReplyBytes { get; init; } = DefaultMaxReplyBytes;

    /// <summary>While following logs, a silent connection is probed after this long (a dead or hung daemon is noticed).</summary>
    public TimeSpan FollowProbeInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait for <paramref name="method"/>'s reply.</summary>
    public TimeSpan ReplyTimeout(string method) => Timeout ?? (IsAction(method) ? DefaultActionTimeout : DefaultQuickTimeout);

    /// <summary>True for a method that changes things and may take long (the daemon carries on if pmctl stops waiting).</summary>
    public static bool IsAction(string method) => ActionMethods.Contains(method);

    /// <summary>The wait for the connection and the handshake (never longer than <see cref="Timeout"/>).</summary>
    public TimeSpan ConnectTimeout => Timeout is { } t && t < DefaultConnectTimeout ? t : DefaultConnectTimeout;

    private static readonly HashSet<string> ActionMethods = new(StringComparer.Ordinal)
    {
        Protocol.RpcMethodNames.Start, Protocol.RpcMethodNames.Stop, Protocol.RpcMethodNames.Restart, Protocol.RpcMethodNames.Update,
        Protocol.RpcMethodNames.Enable, Protocol.RpcMethodNames.Disable, Protocol.RpcMethodNames.AdminRun, Protocol.RpcMethodNames.Shutdown,
    };
}
