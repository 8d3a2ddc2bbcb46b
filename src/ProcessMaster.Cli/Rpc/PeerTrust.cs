using System.Globalization;
using ProcessMaster.Protocol.Framing;

namespace ProcessMaster.Cli.Rpc;

/// <summary>
/// Whose socket pmctl talks to (N-08). A socket path in a directory other users can write may have been taken by
/// someone else, who would then read pmctl's requests and answer with made-up status. pmctl checks the listening
/// process's uid (<c>SO_PEERCRED</c>): root, pmctl's own user (a daemon you run yourself), or the uid named with
/// <c>--daemon-uid</c> / <c>PMCTL_DAEMON_UID</c> (a daemon that runs as a dedicated user). Anyone else is refused.
/// </summary>
/// <param name="OwnUid">pmctl's effective uid.</param>
/// <param name="DaemonUid">An extra trusted uid, or null.</param>
internal sealed record PeerTrust(int OwnUid, int? DaemonUid)
{
    /// <summary>The environment variable naming the daemon's uid.</summary>
    public const string EnvironmentVariable = "PMCTL_DAEMON_UID";

    /// <summary>True when a peer of <paramref name="uid"/> may answer pmctl.</summary>
    public bool Allows(int uid) => uid == 0 || uid == OwnUid || uid == DaemonUid;

    /// <summary>Throws <see cref="CliException"/> unless <paramref name="peer"/> is trusted.</summary>
    public void Check(string path, PeerCredentials? peer)
    {
        if (peer is { } p && Allows(p.Uid)) return;
        string who = peer is { } q ? $"is served by uid {q.Uid} (pid {q.Pid})" : "does not say who serves it (SO_PEERCRED unreadable)";
        string trusted = OwnUid == 0 ? "root" : $"root or uid {OwnUid} (you)";
        if (DaemonUid is { } d) trusted += $" or uid {d} (--daemon-uid)";
        string fix = peer is { } r
            ? $"if the daemon really runs as uid {r.Uid}, pass --daemon-uid {r.Uid} (or set {EnvironmentVariable}={r.Uid})"
            : "check the socket path";
        throw new CliException(
            $"processmaster socket {path} {who}, not by {trusted}; refusing to talk to it: another user may have taken the socket path; {fix}");
    }

    /// <summary>The effective uid of this process, from <c>/proc/self/status</c>.</summary>
    public static int ReadOwnUid()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("Uid:", StringComparison.Ordinal)) continue;
            string[] ids = line[4..].Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length >= 2 && int.TryParse(ids[1], NumberStyles.None, CultureInfo.InvariantCulture, out int euid)) return euid;
        }
        throw new CliException("cannot read this process's uid from /proc/self/status; is /proc mounted?");
    }

    /// <summary>Parses a uid given on the command line or in the environment (a number).</summary>
    public static int ParseUid(string text, string source) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int uid)
            ? uid
            : throw new CliException($"{source}: \"{text}\" is not a uid; give the daemon's numeric user id, e.g. 998");
}
