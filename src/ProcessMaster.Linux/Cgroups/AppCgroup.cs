namespace ProcessMaster.Linux.Cgroups;

/// <summary>An app's cgroup (<c>pm-&lt;app&gt;</c>, watched and limited) and its attach leaf (<c>run</c>, where spawned processes go).</summary>
public sealed class AppCgroup : IDisposable
{
    internal AppCgroup(CgroupNode node, CgroupNode leaf, ControllerEnableResult controllers)
    {
        Node = node;
        Leaf = leaf;
        Controllers = controllers;
    }

    /// <summary>The app cgroup: limits are written here, and its <c>cgroup.events</c> says whether the app runs.</summary>
    public CgroupNode Node { get; }

    /// <summary>The attach leaf: children are born here (clone3 CLONE_INTO_CGROUP).</summary>
    public CgroupNode Leaf { get; }

    /// <summary>Controllers enabled in the app cgroup for its children (nested cgroups the app makes).</summary>
    public ControllerEnableResult Controllers { get; }

    /// <summary>
    /// Every pid of the app (what <see cref="CgroupNode.ReadProcsRecursive"/> of <see cref="Node"/> lists), in three
    /// small reads when the app made no cgroups of its own (<c>cgroup.stat</c> says the leaf is the only descendant):
    /// <c>cgroup.procs</c> of the node and of the leaf. Otherwise the whole walk. For status, once per request.
    /// </summary>
    public IReadOnlyList<int> ReadMembers()
    {
        if (Node.ReadDescendantCount() != 1) return Node.ReadProcsRecursive();
        var pids = new List<int>(Node.ReadProcs());
        pids.AddRange(Leaf.ReadProcs());
        return pids;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Leaf.Dispose();
        Node.Dispose();
    }
}
