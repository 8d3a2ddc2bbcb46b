using System.Globalization;
using ProcessMaster.Linux.Handles;

namespace ProcessMaster.Linux.Cgroups;

public sealed partial class CgroupNode
{
    /// <summary>Interface file listing the pids of this node (not of its children).</summary>
    public const string ProcsFile = "cgroup.procs";

    /// <summary>Interface file with <c>populated</c> (this node or any descendant holds a process) and <c>frozen</c>.</summary>
    public const string EventsFile = "cgroup.events";

    /// <summary>Interface file that SIGKILLs every process in the subtree when 1 is written (Linux 5.14+).</summary>
    public const string KillFile = "cgroup.kill";

    /// <summary>Pids listed in <c>cgroup.procs</c> of this node.</summary>
    public IReadOnlyList<int> ReadProcs() => ParsePids(ReadFile(ProcsFile));

    /// <summary>Pids of this node and every descendant node.</summary>
    public IReadOnlyList<int> ReadProcsRecursive()
    {
        var pids = new List<int>(ReadProcs());
        foreach (string name in ListChildren())
        {
            using CgroupNode child = OpenChild(name);
            pids.AddRange(child.ReadProcsRecursive());
        }

        return pids;
    }

    /// <summary>
    /// Moves a process (all of its threads) into this node by writing its pid to <c>cgroup.procs</c>.
    /// Moving the daemon itself: pass <see cref="Environment.ProcessId"/> on a leaf such as <c>&lt;master&gt;/run</c>.
    /// </summary>
    public void MoveProcess(int pid)
    {
        Errno errno = KernelFile.TryWriteAt(_dir, ProcsFile, pid.ToString(CultureInfo.InvariantCulture));
        if (errno != Errno.None)
        {
            string? hint = errno switch
            {
                Errno.EBUSY or Errno.EOPNOTSUPP => "the node has controllers enabled in cgroup.subtree_control; processes may only live in leaves (no internal processes rule)",
                Errno.ESRCH => "the process no longer exists",
                Errno.EACCES or Errno.EPERM => "moving a process needs write access to cgroup.procs of the common ancestor (root, or a delegated subtree)",
                _ => null,
            };
            throw new LinuxException("write", errno, $"{FilePath(ProcsFile)} (pid {pid})", hint);
        }
    }

    /// <summary>True when this node or any descendant holds a process (<c>populated 1</c> in <c>cgroup.events</c>).</summary>
    public bool IsPopulated() => ParsePopulated(ReadFile(EventsFile));

    /// <summary>SIGKILLs every process of the subtree through <c>cgroup.kill</c>; returns when the write is done, not when they are gone.</summary>
    public void Kill()
    {
        Errno errno = KernelFile.TryWriteAt(_dir, KillFile, "1");
        if (errno != Errno.None)
        {
            string? hint = errno == Errno.ENOENT ? "cgroup.kill needs Linux 5.14 or later" : null;
            throw new LinuxException("write", errno, FilePath(KillFile), hint);
        }
    }

    /// <summary>Parses the <c>populated</c> key of a <c>cgroup.events</c> text.</summary>
    public static bool ParsePopulated(string eventsText)
    {
        foreach (string line in eventsText.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("populated ", StringComparison.Ordinal))
            {
                return line.AsSpan("populated ".Length).Trim().SequenceEqual("1");
            }
        }

        throw new FormatException("cgroup.events has no \"populated\" line");
    }

    /// <summary>Parses a newline-separated pid list (<c>cgroup.procs</c>).</summary>
    public static IReadOnlyList<int> ParsePids(string text)
    {
        var pids = new List<int>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            pids.Add(int.Parse(line, NumberStyles.None, CultureInfo.InvariantCulture));
        }

        return pids;
    }
}
