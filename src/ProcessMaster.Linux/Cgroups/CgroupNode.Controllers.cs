using ProcessMaster.Linux.Handles;

namespace ProcessMaster.Linux.Cgroups;

public sealed partial class CgroupNode
{
    /// <summary>Controllers the parent made available to this node.</summary>
    public const string ControllersFile = "cgroup.controllers";

    /// <summary>Controllers this node enables for its children.</summary>
    public const string SubtreeControlFile = "cgroup.subtree_control";

    /// <summary>Controllers available in this node (<c>cgroup.controllers</c>).</summary>
    public IReadOnlyList<string> ReadAvailableControllers() => SplitWords(ReadFile(ControllersFile));

    /// <summary>Controllers enabled for the children (<c>cgroup.subtree_control</c>).</summary>
    public IReadOnlyList<string> ReadSubtreeControllers() => SplitWords(ReadFile(SubtreeControlFile));

    /// <summary>
    /// Enables, for the children of this node, those of <paramref name="wanted"/> that are available here, in one
    /// write of <c>+a +b</c>. Controllers that are not available are returned as missing, never pretended.
    /// A node that holds processes itself cannot enable controllers (no internal processes rule): keep processes in leaves.
    /// </summary>
    public ControllerEnableResult EnableControllers(IEnumerable<string> wanted)
    {
        IReadOnlyList<string> available = ReadAvailableControllers();
        var enable = new List<string>();
        var missing = new List<string>();
        foreach (string c in wanted.Distinct(StringComparer.Ordinal))
        {
            (available.Contains(c) ? enable : missing).Add(c);
        }

        if (enable.Count > 0)
        {
            string line = string.Join(' ', enable.Select(c => "+" + c));
            Errno errno = KernelFile.TryWriteAt(_dir, SubtreeControlFile, line);
            if (errno != Errno.None)
            {
                string? hint = errno == Errno.EBUSY
                    ? "the node holds processes itself; move them into a leaf child first (no internal processes rule)"
                    : null;
                throw new LinuxException("write", errno, $"{FilePath(SubtreeControlFile)} (\"{line}\")", hint);
            }
        }

        return new ControllerEnableResult(enable, missing);
    }

    /// <summary>Enables every controller available here for the children.</summary>
    public ControllerEnableResult EnableAllAvailableControllers() => EnableControllers(ReadAvailableControllers());

    private static IReadOnlyList<string> SplitWords(string text) =>
        text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
}
