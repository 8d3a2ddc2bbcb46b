namespace ProcessMaster.Linux.Cgroups;

/// <summary>A service's cgroup (<c>pm-&lt;service&gt;</c>, watched and limited) and its attach leaf (<c>run</c>, where spawned processes go).</summary>
public sealed class ServiceCgroup : IDisposable
{
    internal ServiceCgroup(CgroupNode node, CgroupNode leaf, ControllerEnableResult controllers)
    {
        Node = node;
        Leaf = leaf;
        Controllers = controllers;
    }

    /// <summary>The service cgroup: limits are written here, and its <c>cgroup.events</c> says whether the service runs.</summary>
    public CgroupNode Node { get; }

    /// <summary>The attach leaf: children are born here (clone3 CLONE_INTO_CGROUP).</summary>
    public CgroupNode Leaf { get; }

    /// <summary>Controllers enabled in the service cgroup for its children (nested cgroups the service makes).</summary>
    public ControllerEnableResult Controllers { get; }

    /// <summary>
    /// Every pid of the service (what <see cref="CgroupNode.ReadProcsRecursive"/> of <see cref="Node"/> lists), in three
    /// small reads when the service made no cgroups of its own (the link counts of the two directories say the node has
    /// one child, the leaf, and the leaf none: two statx on held descriptors): <c>cgroup.procs</c> of the node and of
    /// the leaf. Otherwise the whole walk. For status, once per request.
    /// </summary>
    public IReadOnlyList<int> ReadMembers()
    {
        if (Node.ReadChildCount() != 1 || Leaf.ReadChildCount() != 0) return Node.ReadProcsRecursive();
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
