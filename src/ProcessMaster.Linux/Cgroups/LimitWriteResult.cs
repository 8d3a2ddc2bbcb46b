namespace ProcessMaster.Linux.Cgroups;

/// <summary>The result of writing one <see cref="CgroupLimit"/>, with the operator-facing text.</summary>
/// <param name="Limit">The limit that was attempted.</param>
/// <param name="Outcome">Applied, not available, or rejected.</param>
/// <param name="Message">E.g. <c>memory limit 512 NOT applied: /x/memory.max missing (memory controller off); add +memory to the parent's cgroup.subtree_control</c>.</param>
public sealed record LimitWriteResult(CgroupLimit Limit, LimitOutcome Outcome, string Message)
{
    /// <summary>True when the kernel holds the value.</summary>
    public bool IsApplied => Outcome == LimitOutcome.Applied;
}
