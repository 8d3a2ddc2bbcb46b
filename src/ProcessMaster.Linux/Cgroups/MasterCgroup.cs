namespace ProcessMaster.Linux.Cgroups;

/// <summary>
/// The master cgroup and its fixed children (<see cref="CgroupLayout"/>). <see cref="Setup"/> creates it, enables
/// the available controllers for its children, and creates the daemon leaf; <see cref="MoveSelfIntoRunLeaf"/> moves
/// the daemon there.
/// </summary>
public sealed class MasterCgroup : IDisposable
{
    private MasterCgroup(CgroupNode node, CgroupNode runLeaf, ControllerEnableResult controllers)
    {
        Node = node;
        RunLeaf = runLeaf;
        Controllers = controllers;
    }

    /// <summary>The master cgroup.</summary>
    public CgroupNode Node { get; }

    /// <summary>The daemon's leaf, <c>&lt;master&gt;/run</c>.</summary>
    public CgroupNode RunLeaf { get; }

    /// <summary>What enabling controllers for the children of the master achieved (report missing ones once).</summary>
    public ControllerEnableResult Controllers { get; }

    /// <summary>Creates (or opens) <c>&lt;root&gt;/&lt;name&gt;</c> and its run leaf, enabling every available controller for its children.</summary>
    public static MasterCgroup Setup(CgroupNode root, string name = CgroupLayout.DefaultMasterName)
    {
        CgroupNode node = root.OpenOrCreateChild(name);
        try
        {
            ControllerEnableResult controllers = node.EnableAllAvailableControllers();
            CgroupNode leaf = node.OpenOrCreateChild(CgroupLayout.RunLeaf);
            return new MasterCgroup(node, leaf, controllers);
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>Moves the calling process (every thread) into <c>&lt;master&gt;/run</c>.</summary>
    public void MoveSelfIntoRunLeaf() => RunLeaf.MoveProcess(Environment.ProcessId);

    /// <summary>Creates (or opens) <c>pm-&lt;app&gt;</c> and its <c>run</c> leaf, enabling available controllers in the app cgroup.</summary>
    public AppCgroup OpenApp(string app) => OpenWithLeaf(CgroupLayout.AppCgroupName(app));

    /// <summary>Creates (or opens) <c>admin_actions</c> and its <c>run</c> leaf.</summary>
    public AppCgroup OpenAdminActions() => OpenWithLeaf(CgroupLayout.AdminActions);

    /// <inheritdoc />
    public void Dispose()
    {
        RunLeaf.Dispose();
        Node.Dispose();
    }

    private AppCgroup OpenWithLeaf(string name)
    {
        CgroupNode node = Node.OpenOrCreateChild(name);
        try
        {
            ControllerEnableResult controllers = node.EnableAllAvailableControllers();
            CgroupNode leaf = node.OpenOrCreateChild(CgroupLayout.RunLeaf);
            return new AppCgroup(node, leaf, controllers);
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }
}
