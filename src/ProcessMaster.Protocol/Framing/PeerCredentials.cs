using System.Net.Sockets;

namespace ProcessMaster.Protocol.Framing;

/// <summary>
/// Who is on the other end of a connected unix socket, from <c>SO_PEERCRED</c>: the process that called
/// <c>connect(2)</c> (seen by the server) or <c>listen(2)</c> (seen by the client), with its effective ids at that time.
/// </summary>
/// <param name="Pid">The peer's process id.</param>
/// <param name="Uid">The peer's effective user id.</param>
/// <param name="Gid">The peer's effective group id.</param>
public readonly record struct PeerCredentials(int Pid, int Uid, int Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads the credentials; null when the socket is not a connected unix socket.</summary>
    public static PeerCredentials? TryRead(Socket socket)
    {
        try
        {
            Span<byte> cred = stackalloc byte[12];
            int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, cred);
            if (length < 12) return null;
            return new PeerCredentials(BitConverter.ToInt32(cred[..4]), BitConverter.ToInt32(cred[4..8]), BitConverter.ToInt32(cred[8..12]));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }
}
