using ProcessMaster.Protocol.Framing;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// Who sent a request, filled by the transport and named in every event a mutating request causes (N-20): on the
/// unix socket the peer's credentials from <c>SO_PEERCRED</c>; on the web console the authenticated user.
/// </summary>
/// <param name="Transport"><c>unix</c>, <c>http</c> or <c>internal</c>.</param>
/// <param name="Pid">Peer process id (unix socket).</param>
/// <param name="Uid">Peer user id (unix socket).</param>
/// <param name="Gid">Peer group id (unix socket).</param>
/// <param name="User">Authenticated user name (web console).</param>
/// <param name="Address">The peer's IP address (web console).</param>
internal sealed record RpcCaller(string Transport, int? Pid = null, int? Uid = null, int? Gid = null, string? User = null, string? Address = null)
{
    /// <summary>Longest user name shown in events.</summary>
    public const int MaxUserChars = 64;

    /// <summary>A caller inside the daemon or a test.</summary>
    public static RpcCaller Internal { get; } = new("internal");

    /// <summary>A unix-socket peer; unknown credentials give a caller without ids.</summary>
    public static RpcCaller FromPeer(PeerCredentials? peer) =>
        peer is { } p ? new RpcCaller("unix", p.Pid, p.Uid, p.Gid) : new RpcCaller("unix");

    /// <summary>A web-console user and the peer's address (the name is escaped and truncated for display).</summary>
    public static RpcCaller Web(string user, string? address) => new("http", User: user, Address: address);

    /// <summary>
    /// The caller as events name it after "by": <c>uid=0 pid=1234</c> (unix socket), <c>user=admin via http from 127.0.0.1</c>
    /// (web console), <c>internal</c>. Never contains a control character.
    /// </summary>
    public string Display =>
        User is not null ? $"user={TerminalText.Escape(TerminalText.Truncate(User, MaxUserChars))} via {Transport}{(Address is null ? "" : $" from {Address}")}"
        : Uid is not null ? $"uid={Uid} pid={Pid}"
        : Transport == "unix" ? "an unknown unix peer" : Transport;

    /// <inheritdoc cref="Display"/>
    public override string ToString() => Display;
}
