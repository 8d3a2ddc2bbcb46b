using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Cgroups;

public class CgroupControllersTests
{
    public static TheoryData<string, string> Limits => new()
    {
        { "memory.max", "memory" },
        { "memory.swap.max", "memory" },
        { "cpu.max", "cpu" },
        { "pids.max", "pids" },
        { "io.weight", "io" },
        { "io.max", "io" },
    };

    private static CgroupLimit Build(string file) => file switch
    {
        "memory.max" => CgroupLimit.MemoryMax(Memory("512MiB")),
        "memory.swap.max" => CgroupLimit.MemorySwapMax(Memory("0")),
        "cpu.max" => CgroupLimit.CpuMax(Cpu("500m")),
        "pids.max" => CgroupLimit.PidsMax(100),
        "io.weight" => CgroupLimit.IoWeight(200),
        _ => CgroupLimit.IoMax(new IoBandwidthRule(8, 0, new ByteSize(1 << 20), null, null, null)),
    };

    private static MemoryLimit Memory(string text) => MemoryLimit.TryParse(text, out MemoryLimit value, out string error) ? value : throw new ArgumentException(error);

    private static CpuQuota Cpu(string text) => CpuQuota.TryParse(text, out CpuQuota value, out string error) ? value : throw new ArgumentException(error);

    [Theory]
    [MemberData(nameof(Limits))]
    public void WriteLimit_ControllerOff_ReportsNotAvailableWithTheFix(string file, string controller)
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode node = CgroupNode.Open(sandbox.Path);
        Assert.DoesNotContain(controller, node.ReadAvailableControllers()); // this machine's hierarchy has none
        LimitWriteResult result = node.WriteLimit(Build(file));
        Assert.Equal(LimitOutcome.NotAvailable, result.Outcome);
        Assert.False(result.IsApplied);
        Assert.EndsWith($"NOT applied: {sandbox.Path}/{file} missing ({controller} controller off); add +{controller} to the parent's cgroup.subtree_control", result.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(sandbox.Path, file)));
    }

    [Fact]
    public void WriteLimits_All_ReportsEachOne()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode node = CgroupNode.Open(sandbox.Path);
        IReadOnlyList<LimitWriteResult> results = node.WriteLimits([CgroupLimit.MemoryMax(MemoryLimit.Max), CgroupLimit.CpuMax(CpuQuota.Max)]);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(LimitOutcome.NotAvailable, r.Outcome));
        Assert.Equal("max", results[0].Limit.Value);
        Assert.Equal("max 100000", results[1].Limit.Value);
    }

    [Fact]
    public void ApplyLimits_ControllersOff_ReportsOnlyWhatTakesSomethingAway()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode node = CgroupNode.Open(sandbox.Path);
        IReadOnlyList<string> problems = node.ApplyLimits(CgroupLimit.For(ResourceLimits.Unlimited with { Memory = Memory("256MiB") }));
        // Unlimited cpu, memory swap MAX and pids MAX take nothing away; the 256 MiB limit is reported, in the operator's unit.
        string problem = Assert.Single(problems);
        Assert.Equal($"memory limit 256 MiB NOT applied: {sandbox.Path}/memory.max missing (memory controller off); add +memory to the parent's cgroup.subtree_control", problem);
    }

    [Fact]
    public void EnableControllers_NoneAvailable_ReportsAllMissingAndWritesNothing()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode node = CgroupNode.Open(sandbox.Path);
        ControllerEnableResult result = node.EnableControllers(["cpu", "memory", "pids"]);
        Assert.Empty(result.Enabled);
        Assert.Equal(["cpu", "memory", "pids"], result.Missing);
        Assert.Equal("enabled: none; not available: cpu memory pids (add +cpu +memory +pids to the parent's cgroup.subtree_control)", result.Describe());
        Assert.Empty(node.ReadSubtreeControllers());
    }

    [Fact]
    public void CgroupLimit_Values_MatchKernelFormats()
    {
        Assert.Equal("150000 100000", CgroupLimit.CpuMax(Cpu("1.5")).Value);
        Assert.Equal("cpu limit 1500m", CgroupLimit.CpuMax(Cpu("1.5")).Description);
        Assert.Equal("default 200", CgroupLimit.IoWeight(200).Value);
        CgroupLimit io = CgroupLimit.IoMax(new IoBandwidthRule(8, 0, new ByteSize(1 << 20), null, null, 10));
        Assert.Equal("8:0 rbps=1048576 wiops=10", io.Value);
        Assert.Equal("io limit on 8:0 (read 1 MiB/s, 10 write iops)", io.Description);
        Assert.Equal("0", CgroupLimit.MemorySwapMax(Memory("0")).Value);
        Assert.Equal("swap limit 0 bytes", CgroupLimit.MemorySwapMax(Memory("0")).Description);
        Assert.Equal("9223372036854775807", CgroupLimit.MemoryMax(Memory("9223372036854775807")).Value);
        Assert.Equal("memory limit 10 MB", CgroupLimit.MemoryMax(Memory("10m")).Description);
        Assert.True(CgroupLimit.MemoryMax(MemoryLimit.Max).IsUnlimited);
        Assert.True(CgroupLimit.PidsMax(null).IsUnlimited);
        Assert.False(CgroupLimit.PidsMax(1).IsUnlimited);
        Assert.Throws<ArgumentException>(() => CgroupLimit.IoMax(new IoBandwidthRule(8, 0, null, null, null, null)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CgroupLimit.IoWeight(0));
    }

    [Fact]
    public void MasterCgroup_Setup_CreatesLayoutAndReportsMissingControllers()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using MasterCgroup master = MasterCgroup.Setup(root, "pm");
        using ServiceCgroup app = master.OpenService("web");
        using ServiceCgroup admin = master.OpenAdminActions();
        Assert.Equal(sandbox.Path + "/pm/run", master.RunLeaf.Path);
        Assert.Equal(sandbox.Path + "/pm/pm-web", app.Node.Path);
        Assert.Equal(sandbox.Path + "/pm/pm-web/run", app.Leaf.Path);
        Assert.Equal(sandbox.Path + "/pm/admin_actions/run", admin.Leaf.Path);
        Assert.Empty(master.Controllers.Enabled);
        Assert.Throws<ArgumentException>(() => master.OpenService("../x"));
    }
}
