namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// Who sent a request, for events and the audit log: the transport and, on the unix socket, the peer's
/// credentials from <c>SO_PEERCRED</c>; on the web console, the authenticated user.
/// </summary>
/// <param name="Transport"><c>unix</c>, <c>http</c> or <c>internal</c>.</param>
/// <param name="Pid">Peer process id (unix socket).</param>
/// <param name="Uid">Peer user id (unix socket).</param>
/// <param name="Gid">Peer group id (unix socket).</param>
/// <param name="User">Authenticated user name (web console).</param>
/// <param name="Address">The peer's IP address (web console).</param>
public sealed record RpcCaller(string Transport, int? Pid = null, int? Uid = null, int? Gid = null, string? User = null, string? Address = null)
{
    /// <summary>A caller inside the daemon or a test.</summary>
    public static RpcCaller Internal { get; } = new("internal");

    /// <summary>A web console user, e.g. <c>web user alice from 10.0.0.5</c>.</summary>
    public static RpcCaller Web(string user, string? address) => new("http", User: user, Address: address);

    /// <summary><c>unix pid=123 uid=0</c> or <c>web user alice from 10.0.0.5</c>, for event messages.</summary>
    public override string ToString() =>
        User is not null ? $"web user {User}{(Address is null ? "" : $" from {Address}")}"
        : Pid is not null ? $"{Transport} pid={Pid} uid={Uid} gid={Gid}"
        : Transport;
}
