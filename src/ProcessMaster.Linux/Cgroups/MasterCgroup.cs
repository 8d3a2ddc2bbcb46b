namespace ProcessMaster.Linux.Cgroups;

/// <summary>
/// The master cgroup and its fixed children (<see cref="CgroupLayout"/>). <see cref="Setup"/> creates it, enables
/// the available controllers for its children (unless told not to: <c>cgroup.subtree_control_allow: false</c>), and
/// creates the daemon leaf; <see cref="MoveSelfIntoRunLeaf"/> moves the daemon there.
/// </summary>
public sealed class MasterCgroup : IDisposable
{
    private readonly bool _enableControllers;

    private MasterCgroup(CgroupNode node, CgroupNode runLeaf, ControllerEnableResult controllers, bool enableControllers)
    {
        Node = node;
        RunLeaf = runLeaf;
        Controllers = controllers;
        _enableControllers = enableControllers;
    }

    /// <summary>The master cgroup.</summary>
    public CgroupNode Node { get; }

    /// <summary>The daemon's leaf, <c>&lt;master&gt;/run</c>.</summary>
    public CgroupNode RunLeaf { get; }

    /// <summary>What enabling controllers for the children of the master achieved (report missing ones once).</summary>
    public ControllerEnableResult Controllers { get; private set; }

    /// <summary>
    /// Enables the available controllers for the children again (when allowed), after the parent gained some: under
    /// systemd the unit's delegated cgroup can hand controllers down only once the daemon has left it for its leaf.
    /// </summary>
    public void EnableControllersAgain()
    {
        if (_enableControllers) Controllers = Node.EnableAllAvailableControllers();
    }

    /// <summary>
    /// Creates (or opens) <c>&lt;root&gt;/&lt;name&gt;</c> and its run leaf. With <paramref name="enableControllers"/>
    /// every available controller is enabled for its children, and later in each service cgroup; without it the daemon
    /// writes no <c>cgroup.subtree_control</c> at all.
    /// </summary>
    public static MasterCgroup Setup(CgroupNode root, string name = CgroupLayout.DefaultMasterName, bool enableControllers = true)
    {
        CgroupNode node = root.OpenOrCreateChild(name);
        try
        {
            ControllerEnableResult controllers = enableControllers ? node.EnableAllAvailableControllers() : ControllerEnableResult.None;
            CgroupNode leaf = node.OpenOrCreateChild(CgroupLayout.RunLeaf);
            return new MasterCgroup(node, leaf, controllers, enableControllers);
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>Moves the calling process (every thread) into <c>&lt;master&gt;/run</c>.</summary>
    public void MoveSelfIntoRunLeaf() => RunLeaf.MoveProcess(Environment.ProcessId);

    /// <summary>Creates (or opens) <c>pm-&lt;service&gt;</c> and its <c>run</c> leaf, enabling available controllers in the service cgroup.</summary>
    public ServiceCgroup OpenService(string service) => OpenWithLeaf(CgroupLayout.ServiceCgroupName(service));

    /// <summary>Creates (or opens) <c>admin_actions</c> and its <c>run</c> leaf.</summary>
    public ServiceCgroup OpenAdminActions() => OpenWithLeaf(CgroupLayout.AdminActions);

    /// <inheritdoc />
    public void Dispose()
    {
        RunLeaf.Dispose();
        Node.Dispose();
    }

    private ServiceCgroup OpenWithLeaf(string name)
    {
        CgroupNode node = Node.OpenOrCreateChild(name);
        try
        {
            ControllerEnableResult controllers = _enableControllers ? node.EnableAllAvailableControllers() : ControllerEnableResult.None;
            CgroupNode leaf = node.OpenOrCreateChild(CgroupLayout.RunLeaf);
            return new ServiceCgroup(node, leaf, controllers);
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }
}
