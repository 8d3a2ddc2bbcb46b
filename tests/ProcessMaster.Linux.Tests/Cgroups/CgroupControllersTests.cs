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
        "memory.max" => CgroupLimit.MemoryMax(512L << 20),
        "memory.swap.max" => CgroupLimit.MemorySwapMax(0),
        "cpu.max" => CgroupLimit.CpuMax(50_000),
        "pids.max" => CgroupLimit.PidsMax(100),
        "io.weight" => CgroupLimit.IoWeight(200),
        _ => CgroupLimit.IoMax(8, 0, readBps: 1 << 20),
    };

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
        Assert.Contains($"NOT applied: {sandbox.Path}/{file} missing ({controller} controller off); add +{controller} to the parent's cgroup.subtree_control", result.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(sandbox.Path, file)));
    }

    [Fact]
    public void WriteLimits_All_ReportsEachOne()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode node = CgroupNode.Open(sandbox.Path);
        IReadOnlyList<LimitWriteResult> results = node.WriteLimits([CgroupLimit.MemoryMax(null), CgroupLimit.CpuMax(null)]);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(LimitOutcome.NotAvailable, r.Outcome));
        Assert.Equal("max", results[0].Limit.Value);
        Assert.Equal("max 100000", results[1].Limit.Value);
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
        Assert.Equal("150000 100000", CgroupLimit.CpuMax(150_000).Value);
        Assert.Equal("default 200", CgroupLimit.IoWeight(200).Value);
        Assert.Equal("8:0 rbps=1048576 wiops=10", CgroupLimit.IoMax(8, 0, readBps: 1 << 20, writeIops: 10).Value);
        Assert.Equal("0", CgroupLimit.MemorySwapMax(0).Value);
        Assert.Throws<ArgumentException>(() => CgroupLimit.IoMax(8, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CgroupLimit.IoWeight(0));
    }

    [Fact]
    public void MasterCgroup_Setup_CreatesLayoutAndReportsMissingControllers()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using MasterCgroup master = MasterCgroup.Setup(root, "pm");
        using AppCgroup app = master.OpenApp("web");
        using AppCgroup admin = master.OpenAdminActions();
        Assert.Equal(sandbox.Path + "/pm/run", master.RunLeaf.Path);
        Assert.Equal(sandbox.Path + "/pm/pm-web", app.Node.Path);
        Assert.Equal(sandbox.Path + "/pm/pm-web/run", app.Leaf.Path);
        Assert.Equal(sandbox.Path + "/pm/admin_actions/run", admin.Leaf.Path);
        Assert.Empty(master.Controllers.Enabled);
        Assert.Throws<ArgumentException>(() => master.OpenApp("../x"));
    }
}
