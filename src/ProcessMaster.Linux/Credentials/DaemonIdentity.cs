using System.Globalization;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Credentials;

/// <summary>
/// Who the daemon is once it has started, and therefore whom it can start services as: root may start a service as
/// any user; any other user can start services only as itself (it cannot change its uid, gid or groups).
/// </summary>
/// <param name="Uid">Effective user id.</param>
/// <param name="Gid">Effective group id.</param>
/// <param name="Groups">Supplementary groups, sorted.</param>
/// <param name="UserName">The passwd name of <paramref name="Uid"/>, or the number as text.</param>
/// <param name="Home">The passwd home directory, or <c>/</c>.</param>
public sealed record DaemonIdentity(uint Uid, uint Gid, IReadOnlyList<uint> Groups, string UserName, string Home)
{
    /// <summary>True for uid 0.</summary>
    public bool IsRoot => Uid == 0;

    /// <summary>The identity of the calling process now.</summary>
    public static DaemonIdentity Current()
    {
        uint uid = Libc.GetEUid();
        PasswdEntry? entry = UserDatabase.FindUserById(uid);
        return new DaemonIdentity(uid, Libc.GetEGid(), ProcessGroups.Current(), entry?.Name ?? uid.ToString(CultureInfo.InvariantCulture),
            string.IsNullOrEmpty(entry?.Home) ? "/" : entry.Home);
    }

    /// <summary>The identity a root daemon takes when it drops to <paramref name="user"/> (its initgroups list).</summary>
    public static DaemonIdentity Of(PasswdEntry user, uint gid) =>
        new(user.Uid, gid, UserDatabase.GetGroupList(user.Name, gid), user.Name, string.IsNullOrEmpty(user.Home) ? "/" : user.Home);

    /// <summary>As a service would run under it (for the environment of a service without <c>process.user</c>).</summary>
    public UserCredentials AsCredentials() => new(Uid, Gid, Groups, UserName, Home, "/bin/sh");

    /// <summary>E.g. <c>nobody (uid 65534, gid 65534)</c>, for messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{UserName} (uid {Uid}, gid {Gid})");
}
