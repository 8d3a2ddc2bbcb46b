using System.Runtime.InteropServices;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Cgroups;

/// <summary>
/// One directory of the cgroup v2 hierarchy, held open by a directory descriptor. Interface files are opened
/// relative to that descriptor (openat, O_NOFOLLOW); children are created and opened relative to it from names that
/// passed <see cref="CgroupName.Validate"/>, so no path ever leaves the node it started from.
/// </summary>
public sealed partial class CgroupNode : IDisposable
{
    private readonly SafeFdHandle _dir;

    private CgroupNode(string path, SafeFdHandle dir)
    {
        Path = path;
        _dir = dir;
    }

    /// <summary>Absolute path of the directory, for messages and inotify.</summary>
    public string Path { get; }

    /// <summary>The directory descriptor (the spawner passes it to clone3 CLONE_INTO_CGROUP).</summary>
    internal SafeFdHandle DirectoryHandle => _dir;

    /// <summary>
    /// Opens an existing directory that must be on a cgroup2 file system: the mount itself or a node inside one.
    /// </summary>
    public static CgroupNode Open(string path)
    {
        if (!System.IO.Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"cgroup path \"{path}\" is not absolute", nameof(path));
        }

        string full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        SafeFdHandle dir = SafeFdHandle.Open(full, Libc.O_RDONLY | Libc.O_DIRECTORY);
        if (!Cgroup2Mount.IsCgroup2(dir))
        {
            dir.Dispose();
            throw new LinuxException("statfs", Errno.ENOTDIR, full,
                "not a cgroup v2 directory (statfs magic is not CGROUP2_SUPER_MAGIC); point cgroup.root at the cgroup2 mount or a node inside it");
        }

        return new CgroupNode(full, dir);
    }

    /// <summary>
    /// Mode of the cgroup directories the daemon creates: 0755, set with fchmod after mkdir so the umask cannot narrow
    /// it (an unprivileged daemon must still open what it created, tools may list it).
    /// </summary>
    public const uint DirectoryMode = Files.UnixMode.Mode0755;

    /// <summary>Creates the child directory (mode <see cref="DirectoryMode"/>); throws with EEXIST when it already exists.</summary>
    public CgroupNode CreateChild(string name)
    {
        CgroupName.ThrowIfInvalid(name);
        if (Libc.MkdirAt(_dir, name, DirectoryMode) != 0)
        {
            throw LinuxException.FromLastError("mkdirat", ChildPath(name));
        }

        return OpenCreatedChild(name);
    }

    /// <summary>Opens the child directory, creating it first (mode <see cref="DirectoryMode"/>) when it does not exist (mkdir -p for one level).</summary>
    public CgroupNode OpenOrCreateChild(string name)
    {
        CgroupName.ThrowIfInvalid(name);
        if (Libc.MkdirAt(_dir, name, DirectoryMode) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != (int)Errno.EEXIST)
            {
                throw new LinuxException("mkdirat", errno, ChildPath(name));
            }

            return OpenChild(name);
        }

        return OpenCreatedChild(name);
    }

    private CgroupNode OpenCreatedChild(string name)
    {
        CgroupNode child = OpenChild(name);
        if (Libc.Fchmod(child._dir, DirectoryMode) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            child.Dispose();
            throw new LinuxException("fchmod", errno, ChildPath(name));
        }

        return child;
    }

    /// <summary>Opens an existing child directory.</summary>
    public CgroupNode OpenChild(string name)
    {
        CgroupName.ThrowIfInvalid(name);
        Errno errno = SafeFdHandle.TryOpenAt(_dir, name, Libc.O_RDONLY | Libc.O_DIRECTORY, out SafeFdHandle child);
        if (errno != Errno.None)
        {
            child.Dispose();
            throw new LinuxException("openat", errno, ChildPath(name));
        }

        return new CgroupNode(ChildPath(name), child);
    }

    /// <summary>Names of the child cgroups (sub-directories), sorted ordinally.</summary>
    public IReadOnlyList<string> ListChildren()
    {
        var names = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories(Path))
        {
            names.Add(System.IO.Path.GetFileName(dir));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Removes this cgroup and every child below it, children first (rmdir). Refuses with EBUSY, naming the
    /// populated node, if any of them still holds a process: kill it (<see cref="Kill"/>) and wait for
    /// <c>populated 0</c> first. Removing an already removed node is not an error.
    /// </summary>
    public void Remove()
    {
        foreach (string name in ListChildren())
        {
            using CgroupNode child = OpenChild(name);
            child.Remove();
        }

        if (IsPopulated())
        {
            throw new LinuxException("rmdir", Errno.EBUSY, Path, "the cgroup still holds processes; write cgroup.kill and wait for populated 0 first");
        }

        if (Libc.Rmdir(Path) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != (int)Errno.ENOENT)
            {
                throw new LinuxException("rmdir", errno, Path);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    /// <inheritdoc />
    public override string ToString() => Path;

    private string ChildPath(string name) => Path + "/" + name;

    private string FilePath(string file) => Path + "/" + file;

    /// <summary>Reads an interface file, throwing on any error.</summary>
    private string ReadFile(string file)
    {
        Errno errno = KernelFile.TryReadAt(_dir, file, out string text, seqFile: true);
        return errno == Errno.None ? text : throw new LinuxException("read", errno, FilePath(file));
    }

    /// <summary>Reads an interface file, or returns null when it does not exist (controller off).</summary>
    private string? ReadOptionalFile(string file)
    {
        Errno errno = KernelFile.TryReadAt(_dir, file, out string text, seqFile: true);
        return errno switch
        {
            Errno.None => text,
            Errno.ENOENT => null,
            _ => throw new LinuxException("read", errno, FilePath(file)),
        };
    }
}
