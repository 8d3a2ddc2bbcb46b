using System.Runtime.InteropServices;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Cgroups;

public sealed partial class CgroupNode
{
    /// <summary>
    /// The files of a delegated cgroup its delegatee writes (kernel Documentation/admin-guide/cgroup-v2.rst,
    /// "Delegation"): moving processes, moving threads, enabling controllers for its children. The node's own limit
    /// files stay with the delegator, so the delegatee cannot lift the limits it was given.
    /// </summary>
    public static readonly IReadOnlyList<string> DelegationFiles = ["cgroup.procs", "cgroup.threads", "cgroup.subtree_control"];

    /// <summary>
    /// Delegates this node to <paramref name="uid"/>:<paramref name="gid"/> as a service manager does: the
    /// directory and its <see cref="DelegationFiles"/> change owner; every node below it (created by an earlier run)
    /// changes owner wholly, directory and every file. Cgroups the delegatee creates afterwards are its own.
    /// </summary>
    /// <returns>The number of nodes below this one that were handed over.</returns>
    public int DelegateTo(uint uid, uint gid)
    {
        Chown(_dir, "", uid, gid, Libc.AT_EMPTY_PATH, Path);
        foreach (string file in DelegationFiles)
        {
            Chown(_dir, file, uid, gid, Libc.AT_SYMLINK_NOFOLLOW, FilePath(file));
        }

        return HandOverChildren(uid, gid);
    }

    private int HandOverChildren(uint uid, uint gid)
    {
        int count = 0;
        foreach (string name in ListChildren())
        {
            using CgroupNode child = OpenChild(name);
            Chown(child._dir, "", uid, gid, Libc.AT_EMPTY_PATH, child.Path);
            foreach (string file in Directory.EnumerateFiles(child.Path))
            {
                string fileName = System.IO.Path.GetFileName(file);
                Chown(child._dir, fileName, uid, gid, Libc.AT_SYMLINK_NOFOLLOW, child.FilePath(fileName));
            }

            count += 1 + child.HandOverChildren(uid, gid);
        }

        return count;
    }

    private static void Chown(SafeHandle dir, string name, uint uid, uint gid, int flags, string subject)
    {
        if (Libc.FchownAt(dir, name, uid, gid, flags) != 0)
        {
            throw LinuxException.FromLastError("fchownat", subject);
        }
    }
}
