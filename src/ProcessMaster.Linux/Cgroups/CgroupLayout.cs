namespace ProcessMaster.Linux.Cgroups;

/// <summary>
/// Names inside the master cgroup. cgroup v2 lets processes live only in leaves once a node enables controllers
/// for its children (the "no internal processes" rule), so every place that holds processes is a leaf:
/// <code>
/// &lt;root&gt;/&lt;master&gt;/                 limits for everything; subtree_control = all available controllers
///   run/                           the daemon itself (leaf)
///   admin_actions/run/             admin action processes (leaf)
///   pm-&lt;service&gt;/                      one per service: its limits; cgroup.events here is "running" (covers the subtree)
///     run/                         where the service's processes are attached by the spawn shim (leaf)
///     (anything the service creates)   allowed, because pm-&lt;service&gt; enables controllers for its children
/// </code>
/// The <c>pm-</c> prefix keeps service names (which may be "run" or "admin_actions") apart from the reserved names.
/// </summary>
public static class CgroupLayout
{
    /// <summary>Default master cgroup name under the cgroup root.</summary>
    public const string DefaultMasterName = "processmaster";

    /// <summary>Leaf that holds the daemon, and the attach leaf inside every service cgroup.</summary>
    public const string RunLeaf = "run";

    /// <summary>Cgroup of admin actions; processes go to its <see cref="RunLeaf"/>.</summary>
    public const string AdminActions = "admin_actions";

    /// <summary>Prefix of every service cgroup.</summary>
    public const string ServicePrefix = "pm-";

    /// <summary>Name of the cgroup of a service (an already validated service name).</summary>
    public static string ServiceCgroupName(string service)
    {
        string name = ServicePrefix + service;
        CgroupName.ThrowIfInvalid(name);
        return name;
    }
}
