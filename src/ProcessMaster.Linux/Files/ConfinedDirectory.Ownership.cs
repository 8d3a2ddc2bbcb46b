using System.Globalization;
using System.Runtime.InteropServices;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Files;

/// <summary>Owner and mode changes that act on the inode found here and never on what a symlink points at.</summary>
public sealed partial class ConfinedDirectory
{
    /// <summary>chown of this directory itself, through its fd. A null id is left unchanged.</summary>
    public void ChangeOwner(uint? uid, uint? gid)
    {
        if (Libc.FchownAt(_fd, "", uid ?? Libc.ChownUnchanged, gid ?? Libc.ChownUnchanged, Libc.AT_EMPTY_PATH) != 0)
            throw LastError("chown", Path);
    }

    /// <summary>
    /// chown of the entry <paramref name="name"/> with lchown semantics: a symlink itself is changed, never its
    /// target. A null id is left unchanged; false when the entry does not exist. A non-directory with more than one
    /// hard link is refused with <see cref="UnsafePathException"/>: it may be a link to a file elsewhere.
    /// </summary>
    public bool ChangeOwner(string name, uint? uid, uint? gid)
    {
        string child = Child(name);
        Errno errno = SafeFdHandle.TryOpenAt(_fd, name, Libc.O_PATH, out SafeFdHandle entry);
        using (entry)
        {
            if (errno == Errno.ENOENT) return false;
            if (errno != Errno.None) throw FileError("open", child, errno);
            RefuseHardLinked(StatOf(entry, child), child, "change its owner");
            ChangeOwner(entry, child, uid, gid);
            return true;
        }
    }

    /// <summary>chmod of this directory itself (fchmod on its fd); <paramref name="mode"/> is the 07777 bits.</summary>
    public void ChangeMode(uint mode)
    {
        if (Libc.Fchmod(_fd, mode) != 0) throw LastError("chmod", Path);
    }

    /// <summary>
    /// chmod of the entry <paramref name="name"/> without following a symlink: it is opened O_PATH|O_NOFOLLOW
    /// (nothing is read; a FIFO or device is not really opened), a symlink or a non-directory with more than one
    /// hard link is refused with <see cref="UnsafePathException"/>, and the mode is set on the inode the descriptor holds.
    /// </summary>
    public void ChangeMode(string name, uint mode)
    {
        string child = Child(name);
        Errno errno = SafeFdHandle.TryOpenAt(_fd, name, Libc.O_PATH, out SafeFdHandle opened);
        using SafeFdHandle fd = opened;
        if (errno != Errno.None) throw FileError("open", child, errno);
        EntryStatus status = StatOf(fd, child);
        if (status.Kind == EntryKind.Symlink)
            throw new UnsafePathException($"{child}: is a symlink; refusing to change a mode through it");
        RefuseHardLinked(status, child, "change its mode");
        bool added = false;
        try
        {
            // fchmod(2) does not accept an O_PATH fd; /proc/self/fd/N names exactly that inode (glibc's
            // fchmodat(AT_SYMLINK_NOFOLLOW) does the same), so nothing is resolved by name again.
            fd.DangerousAddRef(ref added);
            string self = "/proc/self/fd/" + fd.Fd.ToString(CultureInfo.InvariantCulture);
            if (Libc.Chmod(self, mode) != 0) throw LastError("chmod", child);
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
    }

    /// <summary>
    /// chown of this directory and everything below it, on the inodes found here and nothing else (audit N-25):
    /// <list type="bullet">
    /// <item>Every entry is opened O_PATH|O_NOFOLLOW and changed through that descriptor (fchownat AT_EMPTY_PATH):
    /// a symlink is changed itself and never followed, and an entry swapped meanwhile is not reached by name again.</item>
    /// <item>A non-directory with more than one hard link is skipped: it may be a link to a file elsewhere (a
    /// service could hard-link <c>/etc/shadow</c> into its tree where <c>fs.protected_hardlinks</c> is 0).</item>
    /// <item>A directory on another mount (a different device or mount id: a mount point or a bind mount) is
    /// skipped and not entered.</item>
    /// </list>
    /// Entries that vanish meanwhile are skipped silently.
    /// </summary>
    /// <exception cref="IOException">A change failed, or the tree is deeper than <paramref name="maxDepth"/>.</exception>
    public OwnershipWalk ChangeOwnerRecursively(uint? uid, uint? gid, int maxDepth)
    {
        ChangeOwner(uid, gid);
        var walk = new OwnershipWalk { Changed = 1 };
        ChangeOwnerBelow(uid, gid, Status(), 1, maxDepth, walk);
        return walk;
    }

    private void ChangeOwnerBelow(uint? uid, uint? gid, EntryStatus self, int depth, int maxDepth, OwnershipWalk walk)
    {
        foreach (string name in List())
        {
            string child = Child(name);
            Errno errno = SafeFdHandle.TryOpenAt(_fd, name, Libc.O_PATH, out SafeFdHandle opened);
            using SafeFdHandle entry = opened;
            if (errno == Errno.ENOENT) continue;
            if (errno != Errno.None) throw FileError("open", child, errno);

            EntryStatus status = StatOf(entry, child);
            if (status.Kind != EntryKind.Directory)
            {
                if (status.LinkCount > 1)
                {
                    walk.SkippedHardLinks.Add(child);
                    continue;
                }

                ChangeOwner(entry, child, uid, gid);
                walk.Changed++;
                continue;
            }

            if (!status.IsSameMount(self))
            {
                walk.SkippedMountPoints.Add(child);
                continue;
            }

            if (depth > maxDepth)
                throw new IOException($"{child}: more than {maxDepth} directory levels below the start of a recursive chown");
            using ConfinedDirectory sub = Reopen(entry, child);
            sub.ChangeOwner(uid, gid);
            walk.Changed++;
            sub.ChangeOwnerBelow(uid, gid, status, depth + 1, maxDepth, walk);
        }
    }

    private static void RefuseHardLinked(EntryStatus status, string child, string what)
    {
        if (status.Kind != EntryKind.Directory && status.LinkCount > 1)
            throw new UnsafePathException($"{child}: has {status.LinkCount} hard links; refusing to {what}, it may be a link to a file elsewhere (make it a file of its own)");
    }

    private static void ChangeOwner(SafeFdHandle entry, string subject, uint? uid, uint? gid)
    {
        if (Libc.FchownAt(entry, "", uid ?? Libc.ChownUnchanged, gid ?? Libc.ChownUnchanged, Libc.AT_EMPTY_PATH) != 0)
            throw LastError("chown", subject);
    }

    /// <summary>A directory descriptor for the directory an O_PATH descriptor holds (the same inode, not looked up by name).</summary>
    private static ConfinedDirectory Reopen(SafeFdHandle entry, string path)
    {
        Errno errno = SafeFdHandle.TryOpenAt(entry, ".", Libc.O_RDONLY | Libc.O_DIRECTORY, out SafeFdHandle fd);
        return errno == Errno.None ? new ConfinedDirectory(fd, path) : throw FileError("open directory", path, errno);
    }
}
