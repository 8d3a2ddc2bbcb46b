using ProcessMaster.Linux.Handles;

namespace ProcessMaster.Linux.Cgroups;

public sealed partial class CgroupNode
{
    /// <summary>
    /// Writes one limit into this node. A missing file is reported as <see cref="LimitOutcome.NotAvailable"/> with
    /// the fix; a value the kernel refuses as <see cref="LimitOutcome.Rejected"/>. Never reports a limit as applied
    /// unless the write succeeded.
    /// </summary>
    public LimitWriteResult WriteLimit(CgroupLimit limit)
    {
        Errno errno = KernelFile.TryWriteAt(_dir, limit.File, limit.Value);
        string file = FilePath(limit.File);
        if (errno == Errno.None)
        {
            return new(limit, LimitOutcome.Applied, $"{limit.Description} applied: {file} = \"{limit.Value}\"");
        }

        if (errno == Errno.ENOENT)
        {
            return new(limit, LimitOutcome.NotAvailable, $"{limit.Description} NOT applied: {file} missing {WhyMissing(limit)}");
        }

        return new(limit, LimitOutcome.Rejected,
            $"{limit.Description} NOT applied: the kernel refused \"{limit.Value}\" for {file}: {LinuxException.Describe(errno)}");
    }

    /// <summary>Writes every limit, in order, and reports each one.</summary>
    public IReadOnlyList<LimitWriteResult> WriteLimits(IEnumerable<CgroupLimit> limits) => limits.Select(WriteLimit).ToList();

    /// <summary>
    /// Writes every limit, in order, and returns what the operator must be told: the message of each limit the kernel
    /// does not hold, unless it asked for no limit (then a missing controller takes nothing away). The one
    /// "report unless unlimited" rule, for the master cgroup and every service.
    /// </summary>
    public IReadOnlyList<string> ApplyLimits(IEnumerable<CgroupLimit> limits) =>
        WriteLimits(limits).Where(r => !r.IsApplied && !r.Limit.IsUnlimited).Select(r => r.Message).ToList();

    private string WhyMissing(CgroupLimit limit)
    {
        bool available = ReadAvailableControllers().Contains(limit.Controller);
        if (!available)
        {
            return $"({limit.Controller} controller off); add +{limit.Controller} to the parent's cgroup.subtree_control";
        }

        return limit.File == "memory.swap.max"
            ? "(swap accounting is off in this kernel); boot with swap accounting (CONFIG_MEMCG_SWAP) or drop the swap limit"
            : $"(the {limit.Controller} controller does not provide it on this kernel)";
    }
}
