using System.Net.Sockets;
using System.Runtime.Versioning;
using ProcessMaster.Linux.Files;
using ProcessMaster.Protocol.Framing;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// Who may hold the socket path before the daemon binds it (N-13). A directory that another user can write lets that
/// user bind the path first, and then <c>pmctl</c> would talk to them: such a directory is warned about. Something
/// already listening on the path is a running processmaster only when the listening process is root or the daemon's
/// own user (its <c>SO_PEERCRED</c>); anyone else is a squatter, and the refusal names its uid and pid.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class SocketPathGuard
{
    private const uint GroupWrite = 0b000_010_000;
    private const uint OtherWrite = 0b000_000_010;
    private const uint Sticky = 0b001_000_000_000;

    /// <summary>Warnings about <paramref name="directory"/>: not owned by root or the daemon's user, or writable by group or others (sticky or not).</summary>
    public static IReadOnlyList<string> DirectoryWarnings(string directory, uint daemonUid)
    {
        string? parent = Path.GetDirectoryName(directory);
        string name = Path.GetFileName(directory);
        if (parent is null || name.Length == 0) return [];
        EntryStatus? status;
        try
        {
            using ConfinedDirectory above = ConfinedDirectory.Open(parent);
            status = above.Stat(name);
        }
        catch (IOException)
        {
            return [];
        }
        if (status is not { } s) return [];
        var warnings = new List<string>();
        const string fix = "use a directory only root can write, e.g. /run/processmaster";
        if (s.Kind == EntryKind.Symlink)
            warnings.Add($"WARNING unix socket directory {directory} is a symbolic link; whoever can change it can redirect the socket; {fix}");
        if (s.Uid != 0 && s.Uid != daemonUid)
            warnings.Add($"WARNING unix socket directory {directory} is owned by uid {s.Uid}, not by root; that user can replace the socket and pmctl would talk to them; {fix}");
        if ((s.Mode & (GroupWrite | OtherWrite)) != 0)
        {
            string who = (s.Mode & OtherWrite) != 0 ? "every user" : "its group";
            string sticky = (s.Mode & Sticky) != 0 ? " (the sticky bit does not help: anyone can take a free name)" : "";
            warnings.Add($"WARNING unix socket directory {directory} (mode {Convert.ToString(s.Mode, 8).PadLeft(4, '0')}) is writable by {who}{sticky}; " +
                $"another user can bind the socket path before the daemon does, and pmctl would talk to them; {fix}");
        }
        return warnings;
    }

    /// <summary>
    /// Throws <see cref="SocketSetupException"/> when something accepts connections on <paramref name="path"/>: "already
    /// running" for root or <paramref name="daemonUid"/>, a message naming the squatter otherwise. Returns when nothing
    /// listens (no file, or a stale one).
    /// </summary>
    public static void RefuseIfHeld(string path, uint daemonUid)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            return;
        }
        PeerCredentials? peer = PeerCredentials.TryRead(probe);
        if (peer is { } p && (p.Uid == 0 || p.Uid == daemonUid))
        {
            throw new SocketSetupException(
                $"unix socket {path}: a processmaster daemon is already running (pid {p.Pid}, uid {p.Uid}, accepting connections on the socket); " +
                "stop it first (`pmctl shutdown`), or give this daemon another unix_socket.path");
        }
        string owner = FileOwner(path) is { } uid ? $"; the socket file is owned by uid {uid}" : "";
        string who = peer is { } q ? $"a process of uid {q.Uid} (pid {q.Pid})" : "a process whose credentials cannot be read";
        throw new SocketSetupException(
            $"unix socket {path}: taken by {who}{owner}; it is not a processmaster daemon of root or of this daemon's user, so it is not replaced; " +
            "stop that program and remove the file, and put unix_socket.path in a directory only root can write");
    }

    private static uint? FileOwner(string path)
    {
        try
        {
            using ConfinedDirectory directory = ConfinedDirectory.Open(Path.GetDirectoryName(path)!);
            return directory.Stat(Path.GetFileName(path))?.Uid;
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            return null;
        }
    }
}
