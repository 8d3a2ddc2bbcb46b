using System.Globalization;
using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// The checks of a parsed master configuration that need the system (users, groups, directories, ports). The daemon
/// and <c>processmaster --check</c> both run exactly this, so the check never says OK for a configuration the daemon
/// refuses (audit N-22, X6). It decides who the daemon will be once started (<see cref="StartupPlan.Identity"/>):
/// root, root dropping to <c>global.user</c>, or the unprivileged user it was started as; and refuses at load
/// whatever that identity could only fail at use.
/// </summary>
internal static class StartupChecks
{
    /// <summary>Where the kernel keeps the lowest port an unprivileged process may bind.</summary>
    public const string UnprivilegedPortStartPath = "/proc/sys/net/ipv4/ip_unprivileged_port_start";

    /// <summary>Plans the start of <paramref name="config"/> for a process that is <paramref name="current"/> now.</summary>
    public static StartupPlan Plan(MasterConfig config, DaemonIdentity current)
    {
        var problems = new List<ConfigError>();
        void Problem(string key, string problem, string fix) => problems.Add(new ConfigError(config.SourceFile, 0, 0, key, problem, fix));

        DaemonIdentity? dropTo = PlanDrop(config.Global, current, Problem);
        DaemonIdentity identity = dropTo ?? current;
        string who = dropTo is null ? $"the daemon runs as {identity}" : $"the daemon drops to {identity} (global.user)";
        string fixRoot = dropTo is null ? "run the daemon as root" : "remove global.user";

        if (!identity.IsRoot && config.AdminActions.Count > 0)
            Problem("admin_actions", $"admin actions run as root, and {who}", $"remove admin_actions, or {fixRoot}");
        if (!current.IsRoot && (config.UnixSocket.Owner is not null || config.UnixSocket.Group is not null))
            Problem("unix_socket.owner", $"giving the socket an owner or group needs root, and the daemon runs as {current}",
                "remove unix_socket.owner and unix_socket.group (the socket is then owned by the daemon's user)");
        CheckWebConsole(config.WebConsole, identity, who, fixRoot, Problem);
        CheckStateDirectory(config.Global.StateFile, identity, dropTo is not null, Problem);
        if (dropTo is not null) CheckOwnedDirectory("global.log_file", config.Global.LogFile, dropTo, "writes and rotates its log", Problem);
        return new StartupPlan(identity, dropTo, problems);
    }

    /// <summary>The identity to drop to, or null when the daemon stays who it is.</summary>
    private static DaemonIdentity? PlanDrop(GlobalSettings global, DaemonIdentity current, Action<string, string, string> problem)
    {
        if (global.User is null)
        {
            if (global.Group is not null)
                problem("global.group", "global.group is set without global.user; the daemon drops its group only together with its user",
                    "set global.user too, or remove global.group");
            return null;
        }

        PasswdEntry? user = UserDatabase.FindUser(global.User);
        GroupEntry? group = global.Group is null ? null : UserDatabase.FindGroup(global.Group);
        if (user is null)
        {
            problem("global.user", $"user \"{global.User}\" not found in the passwd database", "create the user or fix global.user");
            return null;
        }

        if (global.Group is not null && group is null)
        {
            problem("global.group", $"group \"{global.Group}\" not found in the group database", "create the group or fix global.group");
            return null;
        }

        uint gid = group?.Gid ?? user.Gid;
        if (user.Uid == current.Uid && (group is null || gid == current.Gid))
            return null; // Already that user: nothing to drop (an unprivileged daemon naming itself, or root naming root).
        if (user.Uid == 0)
        {
            problem("global.group", $"global.user \"{global.User}\" is root, so the daemon keeps uid 0 and does not drop to a group alone",
                "remove global.group, or name an unprivileged global.user");
            return null;
        }

        if (!current.IsRoot)
        {
            problem("global.user", $"global.user \"{global.User}\" (uid {user.Uid}): the daemon runs as {current}, not root, and cannot become another user",
                $"start it as root to drop to {user.Name}, or remove global.user (it then runs as {current.UserName})");
            return null;
        }

        return DaemonIdentity.Of(user, gid);
    }

    private static void CheckWebConsole(WebConsoleSettings web, DaemonIdentity identity, string who, string fixRoot, Action<string, string, string> problem)
    {
        if (!web.Enabled || identity.IsRoot) return;
        int lowest = ReadUnprivilegedPortStart();
        if (web.Port < lowest)
            problem("web_console.port", $"port {web.Port.ToString(CultureInfo.InvariantCulture)} is below {lowest.ToString(CultureInfo.InvariantCulture)} ({UnprivilegedPortStartPath}), which only root may bind, and {who} before the console starts",
                $"choose a port of {lowest.ToString(CultureInfo.InvariantCulture)} or more, or {fixRoot}");
    }

    /// <summary>
    /// The state directory holds the state file and the log FIFOs: it must belong to the daemon's user and be closed
    /// to writes by group and others (audit N-26), as the pipes directory is. A missing one is created (owned by the
    /// user the daemon drops to, when it drops).
    /// </summary>
    private static void CheckStateDirectory(string stateFile, DaemonIdentity identity, bool dropping, Action<string, string, string> problem)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(stateFile))!;
        if (StatusOf(directory) is not { } status) return;
        bool owned = status.Uid == identity.Uid;
        bool closed = (status.Mode & UnixMode.GroupOrOtherWrite) == 0;
        if (owned && closed) return;
        string owner = UserDatabase.FindUserById(status.Uid)?.Name ?? "no passwd entry";
        problem("global.state_file", string.Create(CultureInfo.InvariantCulture,
                $"the state directory {directory} is owned by uid {status.Uid} ({owner}) with mode {UnixMode.Format(status.Mode)}; it must be owned by {identity} and not writable by group or others, since whoever can write there can change what the daemon restores and where its services' output goes"),
            dropping
                ? $"point global.state_file into a directory of its own (it is created owned by {identity.UserName}), or chown {identity.UserName} {directory} && chmod go-w {directory}"
                : $"chown {identity.UserName} {directory} && chmod go-w {directory}, or point global.state_file elsewhere");
    }

    /// <summary>A directory the daemon writes into after dropping to <paramref name="target"/> must be its own (or not exist yet).</summary>
    private static void CheckOwnedDirectory(string key, string file, DaemonIdentity target, string what, Action<string, string, string> problem)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (StatusOf(directory) is not { } status || status.Uid == target.Uid) return;
        string owner = UserDatabase.FindUserById(status.Uid)?.Name ?? "no passwd entry";
        problem(key, string.Create(CultureInfo.InvariantCulture,
                $"{directory} is owned by uid {status.Uid} ({owner}); after dropping to {target} the daemon {what} there and needs it to be its own"),
            $"point {key} into a directory of its own (a missing one is created owned by {target.UserName}), or chown {target.UserName} {directory}");
    }

    private static EntryStatus? StatusOf(string directory)
    {
        try
        {
            using ConfinedDirectory open = ConfinedDirectory.Open(directory);
            return open.Status();
        }
        catch (IOException)
        {
            return null; // Missing (created at start) or unreadable (the start reports it with the path).
        }
    }

    private static int ReadUnprivilegedPortStart()
    {
        try
        {
            return int.TryParse(File.ReadAllText(UnprivilegedPortStartPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int port) ? port : 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 1024;
        }
    }
}
