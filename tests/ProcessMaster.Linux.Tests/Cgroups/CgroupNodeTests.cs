using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Linux.Tests.Spawn;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Cgroups;

public class CgroupNodeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public void CreateChild_ValidName_CreatesDirectoryInsideParent()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode child = root.CreateChild("web");
        Assert.Equal(sandbox.Path + "/web", child.Path);
        Assert.True(Directory.Exists(child.Path));
        Assert.Equal(["web"], root.ListChildren());
        Assert.False(child.IsPopulated());
        Assert.Empty(child.ReadProcs());
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    public void CreateChild_BadName_IsRefusedAndNothingIsCreated(string name)
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        var e = Assert.Throws<ArgumentException>(() => root.CreateChild(name));
        Assert.Contains("cgroup name", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(sandbox.Path));
        Assert.False(Directory.Exists(Path.Combine(sandbox.Mount, "x")));
    }

    [Fact]
    public void CreateChild_Existing_ThrowsEexistButOpenOrCreateOpens()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        root.CreateChild("a").Dispose();
        var e = Assert.Throws<LinuxException>(() => root.CreateChild("a"));
        Assert.Equal(Errno.EEXIST, e.Errno);
        Assert.Contains(sandbox.Path + "/a", e.Message, StringComparison.Ordinal);
        using CgroupNode again = root.OpenOrCreateChild("a");
        Assert.Equal(sandbox.Path + "/a", again.Path);
    }

    [Fact]
    public async Task Kill_DoubleForkedTree_EmptiesTheCgroupAndRemoveSucceeds()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        using var fifo = new TestFifo();
        SpawnRequest request = TestSpawner.Sh(
            "sleep 1000 & (setsid sh -c 'sleep 1001 & echo ready' &) ; exec sleep 1002", app) with { Stdout = SpawnOutput.Fifo(fifo.Path) };
        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(request));
        Assert.Equal("ready", await fifo.ReadLineAsync(Wait, "the double-forked grandchild to report ready"));
        Assert.True(app.ReadProcs().Count >= 3, $"expected the 3 sleeps in {app.Path}, got {string.Join(' ', app.ReadProcs())}");
        Assert.True(app.IsPopulated());

        var ex = Assert.Throws<LinuxException>(app.Remove);
        Assert.Equal(Errno.EBUSY, ex.Errno);
        Assert.Contains("cgroup.kill", ex.Message, StringComparison.Ordinal);

        app.Kill();
        Assert.True(CgroupSandbox.WaitUntilEmpty(app.Path, Wait), $"{app.Path} still populated after cgroup.kill");
        Assert.Equal(ExitStatus.Killed(9), await started.ExitAsync());
        Assert.Empty(app.ReadProcs());
        app.Remove();
        Assert.False(Directory.Exists(app.Path));
    }

    [Fact]
    public async Task MoveProcess_RunningChild_MovesItAndReadProcsRecursiveSeesIt()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode a = root.CreateChild("a");
        using CgroupNode b = root.CreateChild("b");
        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(TestSpawner.Sh("exec sleep 1000", a)));
        b.MoveProcess(started.Pid);
        Assert.Equal([started.Pid], b.ReadProcs());
        Assert.Empty(a.ReadProcs());
        Assert.Equal([started.Pid], root.ReadProcsRecursive());
        Assert.Equal("/" + Path.GetRelativePath(sandbox.Mount, b.Path), SelfCgroup.TryRead(started.Pid));
        b.Kill();
        await started.ExitAsync();
    }

    [Fact]
    public void MoveProcess_NoSuchPid_ThrowsEsrchWithThePid()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        var e = Assert.Throws<LinuxException>(() => root.MoveProcess(int.MaxValue - 1));
        Assert.Equal(Errno.ESRCH, e.Errno);
        Assert.Contains($"pid {int.MaxValue - 1}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_NestedEmptyTree_RemovesChildrenFirst()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode a = root.CreateChild("a");
        a.CreateChild("b").Dispose();
        a.CreateChild("c").CreateChild("d").Dispose();
        a.Remove();
        Assert.Empty(root.ListChildren());
    }

    [Fact]
    public async Task SignalMembers_SignalsEveryProcessBelow_AndNoneOutside()
    {
        // Audit #27: the stop signal reaches the cgroup's processes through pidfds re-checked against the cgroup.
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        using CgroupNode run = app.CreateChild("run");
        using CgroupNode other = root.CreateChild("other");
        Spawner spawner = TestSpawner.Create();
        var inside = TestSpawner.AssertStarted(spawner.Spawn(TestSpawner.Sh("exec sleep 1000", run)));
        var outside = TestSpawner.AssertStarted(spawner.Spawn(TestSpawner.Sh("exec sleep 1000", other)));

        (int sent, int listed) = app.SignalMembers(15);

        Assert.Equal((1, 1), (sent, listed));
        Assert.Equal(15, (await inside.ExitAsync()).Signal);
        Assert.Equal([outside.Pid], other.ReadProcs());
        Assert.Equal((0, 0), app.SignalMembers(15));
        other.Kill();
        await outside.ExitAsync();
    }

    [Fact]
    public void ReadCpuStat_EmptyCgroup_ReadsUsage()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        CpuStat stat = root.ReadCpuStat();
        Assert.Equal(0ul, stat.UsageUsec);
        Assert.Null(root.ReadMemoryCurrent()); // no memory controller on this hierarchy
        Assert.Null(root.ReadMemoryPeak());
        Assert.Null(root.ReadPidsCurrent());
    }

    [Fact]
    public void ReadPressure_PresentOrAbsent_NeverThrows()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        PressureStat? cpu = root.ReadPressure(PressureResource.Cpu);
        Assert.Equal(File.Exists(Path.Combine(sandbox.Path, "cpu.pressure")), cpu is not null);
    }
}
