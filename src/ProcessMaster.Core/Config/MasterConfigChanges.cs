using ProcessMaster.Core.Config.Model;

namespace ProcessMaster.Core.Config;

/// <summary>One master-configuration key whose value changed, and whether a running daemon can apply it.</summary>
/// <param name="Key">The key path, e.g. <c>global.log_file</c>, <c>cgroup.name</c>, <c>web_console</c>.</param>
/// <param name="Live">True: <c>pmctl update --master</c> applies it; false: only a daemon restart does.</param>
/// <param name="Why">For a restart-only key, what depends on it.</param>
public sealed record MasterKeyChange(string Key, bool Live, string? Why = null)
{
    /// <summary><c>cgroup.name changes only at restart (...)</c>, or the key for a live one.</summary>
    public override string ToString() => Live ? Key : $"{Key} changes only at restart ({Why})";
}

/// <summary>
/// What <c>pmctl update --master</c> may change in a running daemon, kept deliberately small: the daemon log
/// (<c>global.log_file</c>, reopened at the new path), <c>global.stop_services_on_shutdown</c>, <c>admin_actions</c>,
/// and the keys that say where and how definitions are found (<c>global.config_directory</c>,
/// <c>global.auto_service_directory</c>, <c>global.default_service_user</c>/<c>group</c>,
/// <c>global.allow_provisioning_outside_working_directory</c>), which the definition reload that follows uses.
/// Everything else is fixed at start: the cgroup tree, the socket, the privilege drop, the state file, the flag
/// rules (every policy is built from them) and the web console.
/// </summary>
public static class MasterConfigChanges
{
    /// <summary>Every key of <paramref name="next"/> that differs from <paramref name="current"/>, in file order.</summary>
    public static IReadOnlyList<MasterKeyChange> Compare(MasterConfig current, MasterConfig next)
    {
        var changes = new List<MasterKeyChange>();
        void Fixed(string key, bool differs, string why)
        {
            if (differs) changes.Add(new MasterKeyChange(key, false, why));
        }
        void Live(string key, bool differs)
        {
            if (differs) changes.Add(new MasterKeyChange(key, true));
        }

        const string Tree = "the master cgroup and every app cgroup are made at start";
        CgroupSettings c0 = current.Cgroup, c1 = next.Cgroup;
        Fixed("cgroup.root", c0.Root != c1.Root, Tree);
        Fixed("cgroup.name", c0.Name != c1.Name, Tree);
        Fixed("cgroup.memory_max", c0.MemoryMax != c1.MemoryMax, "the master cgroup's limits are written at start");
        Fixed("cgroup.memory_swap_max", c0.MemorySwapMax != c1.MemorySwapMax, "the master cgroup's limits are written at start");
        Fixed("cgroup.cpu_max", c0.CpuMax != c1.CpuMax, "the master cgroup's limits are written at start");
        Fixed("cgroup.subtree_control_allow", c0.SubtreeControlAllow != c1.SubtreeControlAllow, "controllers are enabled at start");

        const string Socket = "the socket is bound at start, before any privilege drop";
        UnixSocketSettings s0 = current.UnixSocket, s1 = next.UnixSocket;
        Fixed("unix_socket.path", s0.Path != s1.Path, Socket);
        Fixed("unix_socket.owner", s0.Owner != s1.Owner, Socket);
        Fixed("unix_socket.group", s0.Group != s1.Group, Socket);
        Fixed("unix_socket.mode", s0.Mode != s1.Mode, Socket);

        GlobalSettings g0 = current.Global, g1 = next.Global;
        Live("global.config_directory", g0.ConfigDirectory != g1.ConfigDirectory);
        Live("global.auto_service_directory", g0.AutoServiceDirectory != g1.AutoServiceDirectory);
        Fixed("global.user", g0.User != g1.User, "the daemon drops its privileges once, at start");
        Fixed("global.group", g0.Group != g1.Group, "the daemon drops its privileges once, at start");
        Live("global.default_service_user", g0.DefaultServiceUser != g1.DefaultServiceUser);
        Live("global.default_service_group", g0.DefaultServiceGroup != g1.DefaultServiceGroup);
        Live("global.allow_provisioning_outside_working_directory", g0.AllowProvisioningOutsideWorkingDirectory != g1.AllowProvisioningOutsideWorkingDirectory);
        Live("global.stop_services_on_shutdown", g0.StopServicesOnShutdown != g1.StopServicesOnShutdown);
        Fixed("global.state_file", g0.StateFile != g1.StateFile, "the state file and the log pipes beside it are opened at start");
        Fixed("global.flag_rules_file", g0.FlagRulesFile != g1.FlagRulesFile, "every service's policy is built from the flag rules at start");
        Live("global.log_file", g0.LogFile != g1.LogFile);

        Fixed("web_console", !current.WebConsole.Equals(next.WebConsole), "the console's listener and credentials are set up at start");
        Live("admin_actions", !current.AdminActions.Equals(next.AdminActions));
        return changes;
    }

    /// <summary>
    /// The configuration in force after applying <paramref name="next"/> live: its live keys, and
    /// <paramref name="current"/>'s values for everything fixed at start (so those stay reported until a restart).
    /// </summary>
    public static MasterConfig ApplyLive(MasterConfig current, MasterConfig next) => current with
    {
        Global = current.Global with
        {
            ConfigDirectory = next.Global.ConfigDirectory,
            AutoServiceDirectory = next.Global.AutoServiceDirectory,
            DefaultServiceUser = next.Global.DefaultServiceUser,
            DefaultServiceGroup = next.Global.DefaultServiceGroup,
            AllowProvisioningOutsideWorkingDirectory = next.Global.AllowProvisioningOutsideWorkingDirectory,
            StopServicesOnShutdown = next.Global.StopServicesOnShutdown,
            LogFile = next.Global.LogFile,
        },
        AdminActions = next.AdminActions,
    };
}
