using System.Globalization;

namespace ProcessMaster.Linux.Credentials;

/// <summary>
/// Whom a service runs as, decided when its definition loads and again at each start (users can change between):
/// <list type="bullet">
/// <item>No <c>process.user</c>: the daemon's own identity (root for a root daemon, as in the original).</item>
/// <item><c>process.user</c> naming uid 0, or resolving to gid 0 or supplementary group 0: refused unless
/// <c>process.allow_root: true</c> (audit N-14: uid 0 is never reached by accident).</item>
/// <item>A daemon that is not root (started unprivileged, or after <c>global.user</c>) cannot change identity:
/// <c>process.user</c>/<c>process.group</c> may only name its own user and group.</item>
/// </list>
/// </summary>
/// <param name="Uid">The uid the service runs with.</param>
/// <param name="Gid">The gid the service runs with.</param>
/// <param name="SwitchTo">The credentials the spawn shim switches to; null keeps the daemon's.</param>
/// <param name="EnvironmentUser">Whose USER, LOGNAME and HOME the clean environment carries; null: <c>root</c> and <c>/</c>.</param>
public sealed record ServiceIdentity(uint Uid, uint Gid, UserCredentials? SwitchTo, UserCredentials? EnvironmentUser)
{
    /// <summary>E.g. <c>uid 65534 gid 65534</c>, for the start event.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"uid {Uid} gid {Gid}");

    /// <summary>Resolves <paramref name="user"/>/<paramref name="group"/> for a daemon that is <paramref name="daemon"/>.</summary>
    /// <returns>True with <paramref name="identity"/>, or false with <paramref name="error"/> saying what is wrong and the fix.</returns>
    public static bool TryResolve(string? user, string? group, bool allowRoot, DaemonIdentity daemon, out ServiceIdentity? identity, out string error)
    {
        identity = null;
        if (user is null)
        {
            identity = new ServiceIdentity(daemon.Uid, daemon.Gid, null, daemon.IsRoot ? null : daemon.AsCredentials());
            error = "";
            return true;
        }

        if (!UserDatabase.TryResolve(user, group, out UserCredentials? credentials, out error))
        {
            return false;
        }

        UserCredentials wanted = credentials!;
        if (!daemon.IsRoot)
        {
            if (wanted.Uid != daemon.Uid)
            {
                error = $"process.user \"{user}\" is uid {wanted.Uid}, but the daemon runs as {daemon} and can start services only as itself "
                      + $"(starting a service as another user needs root); remove process.user or set it to {daemon.UserName}";
                return false;
            }

            if (group is not null && wanted.Gid != daemon.Gid)
            {
                error = $"process.group \"{group}\" is gid {wanted.Gid}, but the daemon runs as {daemon} and cannot change its group; "
                      + "remove process.group or set it to the daemon's group";
                return false;
            }

            identity = new ServiceIdentity(daemon.Uid, daemon.Gid, null, wanted with { Gid = daemon.Gid, Groups = daemon.Groups });
            return true;
        }

        string? root = wanted.Uid == 0 ? $"uid 0 ({user} is root)"
            : wanted.Gid == 0 ? "gid 0 (the root group)"
            : wanted.Groups.Contains(0u) ? "supplementary group 0 (the root group)"
            : null;
        if (root is not null && !allowRoot)
        {
            error = $"process.user \"{user}\"{(group is null ? "" : $" process.group \"{group}\"")} would run the service with {root}, "
                  + "which is refused unless the definition says so; set process.allow_root: true if it must run as root, or name an unprivileged user";
            return false;
        }

        identity = new ServiceIdentity(wanted.Uid, wanted.Gid, wanted, wanted);
        return true;
    }
}
