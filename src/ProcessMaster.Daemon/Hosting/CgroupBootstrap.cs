using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// Boot-time cgroup work: find the cgroup2 root (SPEC §3.10), create the master cgroup (a nested
/// <c>cgroup.name</c> such as <c>ops/pm</c> is created level by level), enable the available controllers for
/// its children (none at all with <c>cgroup.subtree_control_allow: false</c>: the operator enables what the
/// services may use), write the master limits (reporting, once, any that cannot be applied), and move the daemon
/// into its leaf.
/// <para>
/// Started by systemd (<c>INVOCATION_ID</c> set) without <c>cgroup.root</c>, the root is the daemon's own cgroup (the
/// unit's, from <c>/proc/self/cgroup</c>), which <c>Delegate=yes</c> hands to it: the services then live inside the
/// unit, where <c>systemctl status</c> and <c>systemd-cgls</c> show them. The daemon leaves the unit's cgroup for its
/// leaf first, then enables the controllers for the master (a cgroup with processes cannot hand controllers down).
/// </para>
/// </summary>
internal static class CgroupBootstrap
{
    /// <summary>Sets up the master cgroup; <paramref name="startedBySystemd"/> makes the unit's cgroup the default root.</summary>
    public static MasterCgroup Setup(CgroupSettings settings, EventJournal journal, bool startedBySystemd = false)
    {
        string? unitCgroup = settings.Root is null && startedBySystemd ? UnitCgroup(settings.Name) : null;
        if (unitCgroup is not null)
            journal.Append("cgroup", null, $"cgroup.root not set and started by systemd (INVOCATION_ID): the unit's own cgroup {unitCgroup} is the root (Delegate=yes hands it to the daemon)");
        string root = settings.Root ?? unitCgroup ?? Cgroup2Mount.TryFind()
            ?? throw new StartupException("no cgroup2 hierarchy is mounted (looked in /proc/self/mountinfo); mount one " +
                                          "(mount -t cgroup2 none /sys/fs/cgroup) or set cgroup.root");
        if (!Cgroup2Mount.IsCgroup2(root))
            throw new StartupException($"cgroup.root {root} is not on a cgroup2 file system; point it at the cgroup2 mount or a node inside it");

        CgroupNode parent = CgroupNode.Open(root);
        string[] segments = settings.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            foreach (string segment in segments[..^1])
            {
                CgroupNode child = parent.OpenOrCreateChild(segment);
                if (settings.SubtreeControlAllow) child.EnableAllAvailableControllers();
                parent.Dispose();
                parent = child;
            }
            MasterCgroup master = MasterCgroup.Setup(parent, segments[^1], settings.SubtreeControlAllow);
            if (unitCgroup is not null && settings.SubtreeControlAllow)
            {
                master.MoveSelfIntoRunLeaf();
                EnableDownTo(root, segments);
                master.EnableControllersAgain();
            }
            journal.Append("cgroup", null, $"master cgroup {master.Node.Path}; controllers for services: " +
                (!settings.SubtreeControlAllow ? "none enabled by the daemon (cgroup.subtree_control_allow: false)"
                    : master.Controllers.Enabled.Count == 0 ? "none" : string.Join(' ', master.Controllers.Enabled)) +
                (master.Controllers.Missing.Count == 0 ? "" : $"; not available: {string.Join(' ', master.Controllers.Missing)} (limits needing them are reported, never pretended)"));
            foreach (string problem in master.Node.ApplyLimits(CgroupLimit.For(settings)))
                journal.Append("cgroup", null, problem, EventSeverity.Warning);
            master.MoveSelfIntoRunLeaf();
            return master;
        }
        catch (LinuxException e)
        {
            string hint = !Linux.Credentials.Privileges.IsRoot && e.Errno is Errno.EACCES or Errno.EPERM
                ? $"; an unprivileged daemon needs {root} delegated to it (owned by its user, with cgroup.procs, cgroup.subtree_control and cgroup.threads) and must be started inside that subtree, e.g. with systemd-run --user -p Delegate=yes"
                : "";
            throw new StartupException($"cannot set up the master cgroup {settings.Name} under {root}: {e.Message}{hint}");
        }
        finally
        {
            parent.Dispose();
        }
    }

    /// <summary>
    /// The daemon's own cgroup as a path (mount + <c>/proc/self/cgroup</c>), or null when it is the hierarchy's root. A
    /// daemon started inside an earlier daemon's leaf (<c>&lt;unit&gt;/&lt;name&gt;/run</c>) takes the unit's cgroup.
    /// </summary>
    public static string? UnitCgroup(string masterName)
    {
        string? mount = Cgroup2Mount.TryFind();
        string? own = SelfCgroup.TryRead(Environment.ProcessId);
        if (mount is null || own is null || own == "/") return null;
        string leaf = "/" + masterName.Trim('/') + "/" + CgroupLayout.RunLeaf;
        if (own.EndsWith(leaf, StringComparison.Ordinal)) own = own[..^leaf.Length];
        return own.Length == 0 || own == "/" ? null : mount.TrimEnd('/') + own;
    }

    private static void EnableDownTo(string root, string[] segments)
    {
        CgroupNode node = CgroupNode.Open(root);
        try
        {
            node.EnableAllAvailableControllers();
            foreach (string segment in segments[..^1])
            {
                CgroupNode child = node.OpenOrCreateChild(segment);
                node.Dispose();
                node = child;
                node.EnableAllAvailableControllers();
            }
        }
        finally
        {
            node.Dispose();
        }
    }
}

/// <summary>The daemon cannot start; the message says why and how to fix it.</summary>
internal sealed class StartupException(string message) : Exception(message);
