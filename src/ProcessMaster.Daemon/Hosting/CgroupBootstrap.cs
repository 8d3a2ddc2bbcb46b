using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// Boot-time cgroup work: find the cgroup2 root (SPEC §3.10), create the master cgroup (a nested
/// <c>cgroup.name</c> such as <c>ops/pm</c> is created level by level), enable the available controllers for
/// its children (none at all with <c>cgroup.subtree_control_allow: false</c>: the operator enables what the
/// services may use), write the master limits (reporting, once, any that cannot be applied), and move the daemon
/// into its leaf.
/// </summary>
internal static class CgroupBootstrap
{
    public static MasterCgroup Setup(CgroupSettings settings, EventJournal journal)
    {
        string root = settings.Root ?? Cgroup2Mount.TryFind()
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
            journal.Append("cgroup", null, $"master cgroup {master.Node.Path}; controllers for services: " +
                (!settings.SubtreeControlAllow ? "none enabled by the daemon (cgroup.subtree_control_allow: false)"
                    : master.Controllers.Enabled.Count == 0 ? "none" : string.Join(' ', master.Controllers.Enabled)) +
                (master.Controllers.Missing.Count == 0 ? "" : $"; not available: {string.Join(' ', master.Controllers.Missing)} (limits needing them are reported, never pretended)"));
            foreach (LimitWriteResult result in master.Node.WriteLimits(ResourceLimitMapping.ToCgroupLimits(settings)))
                if (!result.IsApplied && !ResourceLimitMapping.IsUnlimited(result.Limit))
                    journal.Append("cgroup", null, result.Message, EventSeverity.Warning);
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
}

/// <summary>The daemon cannot start; the message says why and how to fix it.</summary>
internal sealed class StartupException(string message) : Exception(message);
