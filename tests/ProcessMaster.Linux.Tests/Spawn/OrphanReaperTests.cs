using ProcessMaster.Core.Lifecycle;
using System.Globalization;
using System.Threading.Channels;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Spawn;

/// <summary>Makes the test host a child subreaper for the duration of each test, alone (no parallel tests).</summary>
[Collection(nameof(SubreaperCollection))]
public class OrphanReaperTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public Task Orphan_ReparentedToSubreaper_IsReapedWhileDotNetKeepsItsOwnChild() => AsSubreaperAsync(async (registry, reaper, reaped) =>
    {
        using var fifo = new TestFifo();
        using var gate = new TestFifo();
        // The shell starts a grandchild and exits; the grandchild is re-parented to us, waits for the gate, then exits 7.
        SpawnRequest request = TestSpawner.Sh($"sh -c 'read x < {gate.Path}; exit 7' & echo $!", workingDirectory: "/") with { Stdout = SpawnOutput.Fifo(fifo.Path) };
        var started = TestSpawner.AssertStarted(TestSpawner.Create(registry).Spawn(request));
        int orphan = int.Parse(await fifo.ReadLineAsync(Wait, "the orphan's pid"), CultureInfo.InvariantCulture);
        await started.ExitAsync();
        Assert.Equal(Environment.ProcessId, ParentOf(orphan));
        gate.WriteLine("go");

        ReapedOrphan result = await reaped.ReadUntilAsync(r => r.Pid == orphan, Wait, $"the reaper to reap orphan {orphan}");
        Assert.Equal(new ReapedOrphan(orphan, 7, null), result);
        Assert.False(Directory.Exists($"/proc/{orphan}"), "the orphan is no zombie any more");

        // The child the spawner started was never stolen: the spawner collected its exit status itself.
        Assert.Equal(ExitStatus.Exited(0), await started.ExitAsync());
        Assert.DoesNotContain(await DrainAsync(reaped), r => r.Pid == started.Pid);
    });

    [Fact]
    public Task Orphan_WhileASpawnIsInFlight_WaitsAndIsReapedWhenTheSpawnEnds() => AsSubreaperAsync(async (registry, reaper, reaped) =>
    {
        // A spawn's child is registered only when the spawn returns: meanwhile an unknown zombie may be that child.
        using var fifo = new TestFifo();
        SpawnRequest request = TestSpawner.Sh("sh -c 'exit 5' & echo $!", workingDirectory: "/") with { Stdout = SpawnOutput.Fifo(fifo.Path) };
        registry.BeginSpawn();
        var started = TestSpawner.AssertStarted(TestSpawner.Create(registry).Spawn(request));
        int orphan = int.Parse(await fifo.ReadLineAsync(Wait, "the orphan's pid"), CultureInfo.InvariantCulture);
        await started.ExitAsync();
        await DaemonInstance.WaitUntilAsync(() => IsZombie(orphan), Wait, $"orphan {orphan} to exit and wait as a zombie");

        Assert.Equal(0, reaper.ReapNow());
        Assert.True(IsZombie(orphan), "no unknown zombie is reaped while a spawn is in flight");

        registry.EndSpawn(0);
        ReapedOrphan result = await reaped.ReadUntilAsync(r => r.Pid == orphan, Wait, $"the deferred scan to reap orphan {orphan}");
        Assert.Equal(new ReapedOrphan(orphan, 5, null), result);
    });

    /// <summary>Runs <paramref name="test"/> with the test host as a child subreaper and an orphan reaper on a fresh registry.</summary>
    private static async Task AsSubreaperAsync(Func<ChildProcessRegistry, OrphanReaper, ChannelReader<ReapedOrphan>, Task> test)
    {
        var registry = new ChildProcessRegistry();
        var reaped = Channel.CreateUnbounded<ReapedOrphan>();
        OrphanReaper.BecomeChildSubreaper();
        try
        {
            using var reaper = new OrphanReaper(registry, reaped.Writer);
            await test(registry, reaper, reaped.Reader);
        }
        finally
        {
            OrphanReaper.BecomeChildSubreaper(enable: false);
        }
    }

    [Fact]
    public void ReapNow_NoZombies_ReapsNothing()
    {
        using var reaper = new OrphanReaper(new ChildProcessRegistry());
        Assert.Equal(0, reaper.ReapNow());
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int ParentOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 4)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static Task<List<ReapedOrphan>> DrainAsync(ChannelReader<ReapedOrphan> reader)
    {
        var items = new List<ReapedOrphan>();
        while (reader.TryRead(out ReapedOrphan? item))
        {
            items.Add(item);
        }

        return Task.FromResult(items);
    }
}
