using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Linux.Tests.Spawn;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Cgroups;

/// <summary>
/// <see cref="ServiceCgroup.ReadMembers"/> (status' pid list): the same pids as the recursive walk, whether the app
/// lives in its leaf only (the three-read path) or made a cgroup of its own (the walk).
/// </summary>
public class ServiceCgroupMembersTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ReadMembers_LeafOnlyThenNestedCgroup_SameAsTheRecursiveWalk()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using MasterCgroup master = MasterCgroup.Setup(root, "pm");
        using ServiceCgroup app = master.OpenService("web");
        using var fifo = new TestFifo();
        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(
            TestSpawner.Sh("sleep 1000 & echo ready; exec sleep 1001", app.Leaf) with { Stdout = SpawnOutput.Fifo(fifo.Path) }));
        Assert.Equal("ready", await fifo.ReadLineAsync(Wait, "the forked sleep to start"));

        Assert.Equal(1, app.Node.ReadDescendantCount());
        Assert.Equal(1, app.Node.ReadChildCount());
        Assert.Equal(0, app.Leaf.ReadChildCount());
        IReadOnlyList<int> leafOnly = app.ReadMembers();
        Assert.Equal(2, leafOnly.Count);
        Assert.Equal(app.Node.ReadProcsRecursive().Order(), leafOnly.Order());
        Assert.Contains(started.Pid, leafOnly);

        using CgroupNode nested = app.Node.CreateChild("worker");
        nested.MoveProcess(started.Pid);
        Assert.Equal(2, app.Node.ReadDescendantCount());
        Assert.Equal(2, app.Node.ReadChildCount());
        IReadOnlyList<int> walked = app.ReadMembers();
        Assert.Equal(leafOnly.Order(), walked.Order());

        // A cgroup inside the leaf: the node still has one child, but the leaf is not the only descendant.
        using CgroupNode inLeaf = app.Leaf.CreateChild("inner");
        inLeaf.MoveProcess(started.Pid);
        nested.Remove();
        Assert.Equal(1, app.Node.ReadChildCount());
        Assert.Equal(1, app.Leaf.ReadChildCount());
        Assert.Equal(leafOnly.Order(), app.ReadMembers().Order());

        app.Node.Kill();
        Assert.True(CgroupSandbox.WaitUntilEmpty(app.Node.Path, Wait), $"{app.Node.Path} still populated after cgroup.kill");
        await started.ExitAsync();
        Assert.Empty(app.ReadMembers());
        inLeaf.Remove();
    }

    [Theory]
    [InlineData("nr_descendants 1\nnr_dying_descendants 0\n", 1)]
    [InlineData("nr_descendants 223\nnr_subsys_perf_event 224\nnr_dying_descendants 0\n", 223)]
    public void ParseDescendantCount_KernelText_ReadsTheCount(string stat, int expected) =>
        Assert.Equal(expected, CgroupNode.ParseDescendantCount(stat));

    [Fact]
    public void ParseDescendantCount_NoLine_IsAFormatError() =>
        Assert.Throws<FormatException>(() => CgroupNode.ParseDescendantCount("nr_dying_descendants 0\n"));
}
