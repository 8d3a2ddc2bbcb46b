using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Spawn;

/// <summary>
/// Spawns that change process-wide settings of the test host (the clone3 switch of the C helper, the host's own
/// oom_score_adj): they run alone, with no other test spawning meanwhile.
/// </summary>
[Collection(nameof(SubreaperCollection))]
public class SpawnFallbackTests
{
    [Fact]
    public async Task Spawn_WithoutClone3_ChildJoinsItsCgroupThroughCgroupProcsBeforeExec()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        _ = TestSpawner.CloneIntoCgroupDisabled;
        Interop.PmSpawn.UseClone3(0);
        try
        {
            Spawner spawner = TestSpawner.Create();
            await SpawnerTests.AssertForkAtOnceContained(spawner, app);
            Assert.True(spawner.UsedCgroupProcsFallback);
        }
        finally
        {
            Interop.PmSpawn.UseClone3(TestSpawner.CloneIntoCgroupDisabled ? 0 : 1);
        }
    }

    [Fact]
    public async Task Spawn_DaemonHasOomScoreAdjust_ChildStartsAtZeroOnlyWhenAsked()
    {
        const string Own = "/proc/self/oom_score_adj";
        string before = (await File.ReadAllTextAsync(Own, TestContext.Current.CancellationToken)).Trim();
        await File.WriteAllTextAsync(Own, "300", TestContext.Current.CancellationToken);
        try
        {
            ChildDefaults defaults = ChildDefaults.ForThisProcess();
            Assert.True(defaults.ResetOomScoreAdj);
            var reset = TestSpawner.AssertStarted(new Spawner(new ChildProcessRegistry(), TestSpawner.Reaper, defaults).Spawn(TestSpawner.Sh("exec sleep 1000")));
            var inherited = TestSpawner.AssertStarted(new Spawner(new ChildProcessRegistry(), TestSpawner.Reaper, defaults with { ResetOomScoreAdj = false })
                .Spawn(TestSpawner.Sh("exec sleep 1000")));
            Assert.Equal("0", (await File.ReadAllTextAsync($"/proc/{reset.Pid}/oom_score_adj", TestContext.Current.CancellationToken)).Trim());
            Assert.Equal("300", (await File.ReadAllTextAsync($"/proc/{inherited.Pid}/oom_score_adj", TestContext.Current.CancellationToken)).Trim());
            Interop.Libc.Kill(reset.Pid, Interop.Libc.SIGKILL);
            Interop.Libc.Kill(inherited.Pid, Interop.Libc.SIGKILL);
            Assert.Equal(ExitStatus.Killed(9), await reset.ExitAsync());
            Assert.Equal(ExitStatus.Killed(9), await inherited.ExitAsync());
        }
        finally
        {
            await File.WriteAllTextAsync(Own, before, TestContext.Current.CancellationToken);
        }
    }
}
