using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Files;

/// <summary>Owner and mode changes that act on the inode found here and never on what a symlink points at.</summary>
public sealed partial class ConfinedDirectory
{
    /// <summary>chown of this directory itself, through its fd. A null id is left unchanged.</summary>
    public void ChangeOwner(uint? uid, uint? gid)
    {
        if (Libc.FchownAt(_fd, "", uid ?? Libc.ChownUnchanged, gid ?? Libc.ChownUnchanged, Libc.AT_EMPTY_PATH) != 0)
            throw FileError("chown", Path, Marshal.GetLastPInvokeError());
    }

    /// <summary>
    /// chown of the entry <paramref name="name"/> with lchown semantics: a symlink itself is changed, never its
    /// target. A null id is left unchanged; false when the entry does not exist.
    /// </summary>
    public bool ChangeOwner(string name, uint? uid, uint? gid)
    {
        string child = Child(name);
        if (Libc.FchownAt(_fd, name, uid ?? Libc.ChownUnchanged, gid ?? Libc.ChownUnchanged, Libc.AT_SYMLINK_NOFOLLOW) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == Errno.ENOENT) return false;
        throw FileError("chown", child, errno);
    }

    /// <summary>chmod of this directory itself (fchmod on its fd); <paramref name="mode"/> is the 07777 bits.</summary>
    public void ChangeMode(uint mode)
    {
        if (Libc.Fchmod(_fd, mode) != 0) throw FileError("chmod", Path, Marshal.GetLastPInvokeError());
    }

    /// <summary>
    /// chmod of the entry <paramref name="name"/> without following a symlink: it is opened O_PATH|O_NOFOLLOW
    /// (nothing is read; a FIFO or device is not really opened), a symlink is refused with
    /// <see cref="UnsafePathException"/>, and the mode is set on the inode the descriptor holds.
    /// </summary>
    public void ChangeMode(string name, uint mode)
    {
        string child = Child(name);
        using SafeFileHandle fd = Libc.OpenAt(_fd, name, Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        if (fd.IsInvalid) throw FileError("open", child, Marshal.GetLastPInvokeError());
        if (StatOf(fd, child).Kind == EntryKind.Symlink)
            throw new UnsafePathException($"{child}: is a symlink; refusing to change a mode through it");
        bool added = false;
        try
        {
            // fchmod(2) does not accept an O_PATH fd; /proc/self/fd/N names exactly that inode (glibc's
            // fchmodat(AT_SYMLINK_NOFOLLOW) does the same), so nothing is resolved by name again.
            fd.DangerousAddRef(ref added);
            string self = "/proc/self/fd/" + fd.DangerousGetHandle().ToString(CultureInfo.InvariantCulture);
            if (Libc.Chmod(self, mode) != 0) throw FileError("chmod", child, Marshal.GetLastPInvokeError());
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
    }

    /// <summary>
    /// chown of this directory and everything below it. Symlinks are changed themselves and never followed.
    /// Only real directories are entered, each opened O_DIRECTORY|O_NOFOLLOW relative to its parent's fd and
    /// changed through that fd, so an entry swapped for a symlink during the walk is changed as a link and
    /// never entered, and no path string is resolved twice. Entries that vanish meanwhile are skipped.
    /// </summary>
    /// <returns>The number of entries changed, this directory included.</returns>
    /// <exception cref="IOException">A change failed, or the tree is deeper than <paramref name="maxDepth"/>.</exception>
    public long ChangeOwnerRecursively(uint? uid, uint? gid, int maxDepth)
    {
        ChangeOwner(uid, gid);
        return 1 + ChangeOwnerBelow(uid, gid, 1, maxDepth);
    }

    private long ChangeOwnerBelow(uint? uid, uint? gid, int depth, int maxDepth)
    {
        long changed = 0;
        foreach (string name in List())
        {
            using ConfinedDirectory? sub = TryOpenSubdirectory(name);
            if (sub is null)
            {
                if (ChangeOwner(name, uid, gid)) changed++;
                continue;
            }
            if (depth > maxDepth)
                throw new IOException($"{sub.Path}: more than {maxDepth} directory levels below the start of a recursive chown");
            sub.ChangeOwner(uid, gid);
            changed += 1 + sub.ChangeOwnerBelow(uid, gid, depth + 1, maxDepth);
        }
        return changed;
    }

    /// <summary>Opens a real subdirectory; null when <paramref name="name"/> is anything else (a symlink included) or gone.</summary>
    private ConfinedDirectory? TryOpenSubdirectory(string name)
    {
        string child = Child(name);
        SafeFileHandle fd = Libc.OpenAt(_fd, name, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        if (!fd.IsInvalid) return new ConfinedDirectory(fd, child);
        int errno = Marshal.GetLastPInvokeError();
        fd.Dispose();
        if (errno is Errno.ENOTDIR or Errno.ELOOP or Errno.ENOENT) return null;
        throw FileError("open directory", child, errno);
    }
}
