using System.Globalization;
using System.Text;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Cgroups;

/// <summary>
/// Finds the cgroup v2 hierarchy: <c>/sys/fs/cgroup</c> on pure v2 hosts, <c>/sys/fs/cgroup/unified</c> on hybrid
/// hosts, otherwise the first cgroup2 mount listed in <see cref="MountInfoPath"/>.
/// </summary>
public static class Cgroup2Mount
{
    /// <summary>The mount table of the calling process (proc(5)).</summary>
    public const string MountInfoPath = "/proc/self/mountinfo";

    /// <summary>Where a pure cgroup v2 host mounts the hierarchy.</summary>
    public const string UnifiedPath = "/sys/fs/cgroup";

    /// <summary>Where a hybrid (v1 + v2) host mounts the v2 hierarchy.</summary>
    public const string HybridPath = "/sys/fs/cgroup/unified";

    /// <summary>Returns the cgroup2 mount point, or null when none is mounted.</summary>
    public static string? TryFind()
    {
        IReadOnlyList<string> mounts = ParseMountPoints(File.ReadAllText(MountInfoPath));
        if (mounts.Contains(UnifiedPath))
        {
            return UnifiedPath;
        }

        return mounts.Contains(HybridPath) ? HybridPath : mounts.Count > 0 ? mounts[0] : null;
    }

    /// <summary>Every mount point of file system type <c>cgroup2</c> in a mountinfo text, in order.</summary>
    public static IReadOnlyList<string> ParseMountPoints(string mountInfo)
    {
        var result = new List<string>();
        foreach (string line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length < 5 || separator < 0 || separator + 1 >= fields.Length)
            {
                continue;
            }

            if (fields[separator + 1] == "cgroup2")
            {
                result.Add(Unescape(fields[4]));
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="path"/> is a directory on a cgroup2 file system (statfs magic CGROUP2_SUPER_MAGIC).</summary>
    public static bool IsCgroup2(string path)
    {
        int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return false;
        }

        using var dir = new SafeFdHandle(fd, ownsHandle: true);
        return IsCgroup2(dir);
    }

    /// <summary>True when the open directory lives on a cgroup2 file system.</summary>
    internal static unsafe bool IsCgroup2(SafeFdHandle dir)
    {
        byte* buf = stackalloc byte[Libc.SizeOfStatfs];
        return Libc.Fstatfs(dir, buf) == 0 && *(long*)buf == Libc.CGROUP2_SUPER_MAGIC;
    }

    /// <summary>Undoes mountinfo's octal escapes (<c>\040</c> for a space).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var sb = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length &&
                int.TryParse(field.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }

        return sb.ToString();
    }
}
