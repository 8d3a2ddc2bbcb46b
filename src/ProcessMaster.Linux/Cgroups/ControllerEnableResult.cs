namespace ProcessMaster.Linux.Cgroups;

/// <summary>What <see cref="CgroupNode.EnableControllers"/> did: controllers now enabled for the children, and wanted ones the node does not have.</summary>
/// <param name="Enabled">Controllers written to <c>cgroup.subtree_control</c> (or already there).</param>
/// <param name="Missing">Wanted controllers absent from <c>cgroup.controllers</c>; nothing was written for them.</param>
public sealed record ControllerEnableResult(IReadOnlyList<string> Enabled, IReadOnlyList<string> Missing)
{
    /// <summary>Nothing enabled because nothing was asked for (<c>cgroup.subtree_control_allow: false</c>).</summary>
    public static ControllerEnableResult None { get; } = new([], []);

    /// <summary>One line for the operator, e.g. <c>enabled: cpu memory; not available: io (enable it in the parent's cgroup.subtree_control)</c>.</summary>
    public string Describe() =>
        Missing.Count == 0
            ? $"enabled: {Join(Enabled)}"
            : $"enabled: {Join(Enabled)}; not available: {Join(Missing)} (add {string.Join(' ', Missing.Select(c => "+" + c))} to the parent's cgroup.subtree_control)";

    private static string Join(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(' ', names);
}
