using System.Net.Sockets;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>An accepted client socket and who it is.</summary>
/// <param name="Socket">The connected socket.</param>
/// <param name="Caller">Peer credentials.</param>
internal sealed record AcceptedConnection(Socket Socket, RpcCaller Caller);
