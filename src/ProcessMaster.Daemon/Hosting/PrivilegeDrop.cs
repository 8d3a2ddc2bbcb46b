using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// <c>global.user</c> / <c>global.group</c> (seed: "if the daemon starts as root, it can drop privileges"), done the
/// way a delegating service manager does it. As root the daemon: makes its state and log locations the user's
/// (<see cref="PrepareLocations"/>), binds the socket, creates the master cgroup and delegates it to the user
/// (<see cref="DelegateCgroup"/>); then it drops for good (<see cref="Drop"/>), verified on every thread. From then on
/// it creates app cgroups, FIFOs and log files as that user, every service runs as that user, and what needs root
/// (provisioning ownership or capabilities, admin actions, another process.user) was refused at load.
/// </summary>
internal static class PrivilegeDrop
{
    /// <summary>
    /// Creates the state directory (0700) and the log directory (0750) owned by <paramref name="target"/> when they
    /// are missing, and hands over what an earlier root run left in them: the pipes directory and its FIFOs, the
    /// state file, the log file and its backups. Existing directories already belong to the user
    /// (<see cref="StartupChecks"/> refuses otherwise). Nothing is followed through a symlink.
    /// </summary>
    public static void PrepareLocations(GlobalSettings global, DaemonIdentity target)
    {
        try
        {
            using (ConfinedDirectory state = OpenOwnedDirectory(global.StateFile, UnixMode.Mode0700, target))
            {
                HandOver(state, Path.GetFileName(global.StateFile), target);
                if (state.KindOf("pipes") == EntryKind.Directory)
                {
                    using ConfinedDirectory pipes = state.OpenDirectory("pipes");
                    pipes.ChangeOwner(target.Uid, target.Gid);
                    foreach (string fifo in pipes.List())
                        if (pipes.Stat(fifo) is { Kind: EntryKind.Other, LinkCount: 1 }) pipes.ChangeOwner(fifo, target.Uid, target.Gid);
                }
            }

            using ConfinedDirectory logs = OpenOwnedDirectory(global.LogFile, UnixMode.Mode0750, target);
            string log = Path.GetFileName(global.LogFile);
            foreach (string name in logs.List())
                if (name == log || name.StartsWith(log + ".", StringComparison.Ordinal)) HandOver(logs, name, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LinuxException)
        {
            throw new StartupException($"global.user {target.UserName}: cannot prepare the state and log locations: {e.Message}; fix the path or its permissions");
        }
    }

    /// <summary>Delegates the master cgroup to <paramref name="target"/> (the directory, cgroup.procs, cgroup.threads, cgroup.subtree_control, and every node below).</summary>
    public static void DelegateCgroup(MasterCgroup master, DaemonIdentity target, EventJournal journal)
    {
        try
        {
            int nodes = master.Node.DelegateTo(target.Uid, target.Gid);
            journal.Append("cgroup", null, $"master cgroup {master.Node.Path} delegated to {target}: the directory, {string.Join(", ", CgroupNode.DelegationFiles)} and {nodes} nodes below it; its own limit files stay root's");
        }
        catch (LinuxException e)
        {
            throw new StartupException($"global.user {target.UserName}: cannot delegate the master cgroup: {e.Message}");
        }
    }

    /// <summary>Drops to <paramref name="target"/> for good and says so; a drop that is not complete on every thread stops the daemon.</summary>
    public static void Drop(DaemonIdentity target, EventJournal journal)
    {
        int threads;
        try
        {
            threads = CredentialDrop.To(target);
        }
        catch (LinuxException e)
        {
            throw new StartupException($"global.user {target.UserName}: privilege drop failed: {e.Message}");
        }

        journal.Append("daemon", null, $"dropped privileges to {target}, groups {string.Join(',', target.Groups)}: verified on all {threads} threads (/proc/self/task/*/status: uid, gid and groups, no capabilities left)");
    }

    /// <summary>Opens the directory of <paramref name="file"/>, creating the last level with <paramref name="mode"/> and owned by <paramref name="target"/> when missing.</summary>
    private static ConfinedDirectory OpenOwnedDirectory(string file, uint mode, DaemonIdentity target)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string parent = Path.GetDirectoryName(directory) ?? "/";
        Directory.CreateDirectory(parent);
        using ConfinedDirectory above = ConfinedDirectory.Open(parent);
        bool existed = above.KindOf(Path.GetFileName(directory)) != EntryKind.Missing;
        ConfinedDirectory opened = above.OpenOrCreateDirectory(Path.GetFileName(directory), mode);
        if (!existed) opened.ChangeOwner(target.Uid, target.Gid);
        return opened;
    }

    /// <summary>Gives the regular file <paramref name="name"/> (one link, not a symlink) to <paramref name="target"/>, if it is there.</summary>
    private static void HandOver(ConfinedDirectory directory, string name, DaemonIdentity target)
    {
        if (directory.Stat(name) is { Kind: EntryKind.File, LinkCount: 1 }) directory.ChangeOwner(name, target.Uid, target.Gid);
    }
}
