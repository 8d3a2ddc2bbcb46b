using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Credentials;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// <c>global.user</c> / <c>global.group</c>: the seed's "drop privileges after start-up". This daemon refuses it,
/// before it touches anything, rather than pretend: a root daemon must stay root to write the cgroup files of every
/// service, to start each service as its own user and to chown provisioned directories; an unprivileged daemon
/// (SPEC §3.11) simply runs as its user on a delegated cgroup subtree, where <c>global.user</c> naming that same
/// user is accepted.
/// </summary>
internal static class PrivilegeDrop
{
    public static void Check(GlobalSettings global)
    {
        if (global.User is null && global.Group is null) return;
        string who = global.User ?? $"group {global.Group}";
        if (!Privileges.IsRoot && global.User is { } user && UserDatabase.FindUser(user)?.Uid == Privileges.EffectiveUid)
            return;
        throw new StartupException(
            $"global.user/global.group ({who}): the daemon does not drop privileges after start-up. " +
            (Privileges.IsRoot
                ? "Running as root it must stay root: it writes every service's cgroup files, starts each service as its own user and chowns provisioned directories. "
                : $"It runs as uid {Privileges.EffectiveUid} and cannot become another user. ") +
            "Fix: remove global.user/global.group and run it as root, or start it as that user on a delegated cgroup subtree " +
            "(e.g. systemd-run --user -p Delegate=yes) and set cgroup.root to that subtree.");
    }
}
