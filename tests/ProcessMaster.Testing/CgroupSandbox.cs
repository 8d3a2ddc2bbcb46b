using System.Globalization;

namespace ProcessMaster.Testing;

/// <summary>
/// A unique child of the cgroup2 mount (<c>pm-test-&lt;random&gt;</c>) for one test. Dispose kills everything in it
/// (<c>cgroup.kill</c> on every node), waits for <c>populated 0</c> (inotify through FileSystemWatcher, no polling),
/// and removes the nodes bottom-up. Written without the code under test, so a bug there cannot hide a leak.
/// When the machine has no cgroup2 mount, <see cref="Create"/> skips the test with the reason.
/// </summary>
public sealed class CgroupSandbox : IDisposable
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(10);

    private CgroupSandbox(string mount, string path)
    {
        Mount = mount;
        Path = path;
    }

    /// <summary>The cgroup2 mount point the sandbox lives in.</summary>
    public string Mount { get; }

    /// <summary>Absolute path of the sandbox cgroup.</summary>
    public string Path { get; }

    /// <summary>The sandbox path relative to the mount, as <c>/proc/PID/cgroup</c> shows it (e.g. <c>/pm-test-ab12cd</c>).</summary>
    public string RelativePath => Path[Mount.Length..];

    /// <summary>Finds the cgroup2 mount from /proc/self/mountinfo (pure v2 first, then hybrid, then any).</summary>
    public static string? FindCgroup2Mount()
    {
        var mounts = new List<string>();
        foreach (string line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            string[] f = line.Split(' ');
            int sep = Array.IndexOf(f, "-");
            if (sep > 4 && sep + 1 < f.Length && f[sep + 1] == "cgroup2")
            {
                mounts.Add(f[4]);
            }
        }

        return mounts.Contains("/sys/fs/cgroup") ? "/sys/fs/cgroup"
            : mounts.Contains("/sys/fs/cgroup/unified") ? "/sys/fs/cgroup/unified"
            : mounts.FirstOrDefault();
    }

    /// <summary>Creates a fresh sandbox, or skips the calling test when there is no cgroup2 mount or no permission.</summary>
    public static CgroupSandbox Create()
    {
        string? mount = FindCgroup2Mount();
        if (mount is null)
        {
            throw new InvalidOperationException(Xunit.v3.DynamicSkipToken.Value + "no cgroup2 hierarchy is mounted (/proc/self/mountinfo lists no cgroup2); these tests need one");
        }

        string path = System.IO.Path.Combine(mount, "pm-test-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidOperationException(Xunit.v3.DynamicSkipToken.Value + $"cannot create a cgroup under {mount}: {e.Message}; run as root or in a delegated subtree");
        }

        return new CgroupSandbox(mount, path);
    }

    /// <summary>Reads <c>populated</c> of a node's cgroup.events.</summary>
    public static bool IsPopulated(string cgroupPath) =>
        File.ReadAllText(System.IO.Path.Combine(cgroupPath, "cgroup.events")).Contains("populated 1", StringComparison.Ordinal);

    /// <summary>Pids in the node's cgroup.procs.</summary>
    public static IReadOnlyList<int> Procs(string cgroupPath) =>
        File.ReadAllLines(System.IO.Path.Combine(cgroupPath, "cgroup.procs"))
            .Where(l => l.Length > 0)
            .Select(l => int.Parse(l, CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>Waits, event-driven, until the node's cgroup.events says <c>populated 0</c>; false on timeout.</summary>
    public static bool WaitUntilEmpty(string cgroupPath, TimeSpan timeout)
    {
        using var changed = new AutoResetEvent(false);
        using var watcher = new FileSystemWatcher(cgroupPath, "cgroup.events")
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes,
        };
        watcher.Changed += (_, _) => changed.Set();
        watcher.EnableRaisingEvents = true;
        DateTime deadline = DateTime.UtcNow + timeout;
        while (IsPopulated(cgroupPath))
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !changed.WaitOne(left))
            {
                return !IsPopulated(cgroupPath);
            }
        }

        return true;
    }

    /// <summary>Kills every process in the sandbox and removes every node, bottom-up.</summary>
    public void Dispose() => KillAndRemove(Path);

    private static void KillAndRemove(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        foreach (string child in Directory.GetDirectories(path))
        {
            KillAndRemove(child);
        }

        if (IsPopulated(path))
        {
            File.WriteAllText(System.IO.Path.Combine(path, "cgroup.kill"), "1");
            if (!WaitUntilEmpty(path, CleanupTimeout))
            {
                throw new InvalidOperationException($"sandbox cleanup: {path} still populated {CleanupTimeout.TotalSeconds}s after cgroup.kill; pids: {string.Join(' ', Procs(path))}");
            }
        }

        Directory.Delete(path, recursive: false);
    }
}
