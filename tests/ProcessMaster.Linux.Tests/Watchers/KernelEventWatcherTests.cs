using ProcessMaster.Core.Lifecycle;
using System.Diagnostics;
using System.Threading.Channels;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Linux.Tests.Spawn;
using ProcessMaster.Linux.Watchers;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Watchers;

public class KernelEventWatcherTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CgroupKill_DoubleForkedTree_ReportsPopulatedFalse()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        var events = Channel.CreateUnbounded<KernelEvent>();
        using var watcher = new KernelEventWatcher(events.Writer);
        Assert.False(watcher.WatchCgroup("app", app));

        using var fifo = new TestFifo();
        SpawnRequest request = TestSpawner.Sh(
            "sleep 1000 & (setsid sh -c 'sleep 1001 & echo ready' &) ; exec sleep 1002", app) with { Stdout = SpawnOutput.Fifo(fifo.Path) };
        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(request));
        await events.Reader.ReadUntilAsync(e => e is CgroupPopulatedChanged { Key: "app", Populated: true }, Wait, "populated=true after the spawn");
        Assert.Equal("ready", await fifo.ReadLineAsync(Wait, "the double-forked grandchild to report ready"));

        var clock = Stopwatch.StartNew();
        app.Kill();
        await events.Reader.ReadUntilAsync(e => e is CgroupPopulatedChanged { Key: "app", Populated: false }, Wait, "populated=false after cgroup.kill");
        double ms = clock.Elapsed.TotalMilliseconds;
        output.WriteLine($"cgroup.kill -> populated=false event: {ms:0.000} ms");
        Assert.Empty(app.ReadProcs());
        await started.ExitAsync();
    }

    [Fact]
    public async Task WatchPid_ChildExits_ReportsProcessExited()
    {
        var events = Channel.CreateUnbounded<KernelEvent>();
        using var watcher = new KernelEventWatcher(events.Writer);
        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(TestSpawner.Sh("read x; exit 3") with { Stdout = SpawnOutput.Null }));
        var started2 = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(TestSpawner.Sh("exec sleep 1000")));
        Assert.True(watcher.WatchPid("main", started2.Pid));
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Interop.Libc.Kill(started2.Pid, Interop.Libc.SIGTERM));
        var exited = await events.Reader.ReadUntilAsync(e => e is ProcessExited { Key: "main" }, Wait, $"ProcessExited for pid {started2.Pid}");
        output.WriteLine($"SIGTERM -> pidfd exit event: {clock.Elapsed.TotalMilliseconds:0.000} ms");
        Assert.Equal(new ProcessExited("main", started2.Pid), exited);
        Assert.Equal(ExitStatus.Killed(15), await started2.ExitAsync());

        // stdin of the first one is /dev/null: `read` hits EOF and it exits 3; it may be gone before the watch starts.
        watcher.WatchPid("early", started.Pid);
        await events.Reader.ReadUntilAsync(e => e is ProcessExited { Key: "early" }, Wait, "ProcessExited for a child that exits at once");
        Assert.Equal(ExitStatus.Exited(3), await started.ExitAsync());
    }

    [Fact]
    public async Task WatchPid_NoSuchProcess_ReportsExitedAtOnce()
    {
        var events = Channel.CreateUnbounded<KernelEvent>();
        using var watcher = new KernelEventWatcher(events.Writer);
        Assert.False(watcher.WatchPid("gone", int.MaxValue - 1));
        Assert.Equal(new ProcessExited("gone", int.MaxValue - 1), await events.Reader.ReadUntilAsync(_ => true, Wait, "the immediate exit report"));
    }

    [Fact]
    public async Task UnwatchPid_ThenExit_ReportsNothing()
    {
        var events = Channel.CreateUnbounded<KernelEvent>();
        using var watcher = new KernelEventWatcher(events.Writer);
        var a = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(TestSpawner.Sh("exec sleep 1000")));
        var b = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(TestSpawner.Sh("exec sleep 1000")));
        watcher.WatchPid("a", a.Pid);
        watcher.WatchPid("b", b.Pid);
        Assert.True(watcher.UnwatchPid("a"));
        Assert.False(watcher.UnwatchPid("a"));
        Interop.Libc.Kill(a.Pid, Interop.Libc.SIGKILL);
        await a.ExitAsync();
        Interop.Libc.Kill(b.Pid, Interop.Libc.SIGKILL);
        // b's event arrives after a's exit; if a were still watched its event would come first.
        var first = await events.Reader.ReadUntilAsync(_ => true, Wait, "the exit of b");
        Assert.Equal(new ProcessExited("b", b.Pid), first);
        await b.ExitAsync();
    }

    [Fact]
    public async Task WatchCgroup_NodeRemoved_NoEventAndTheOwnerUnwatches()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        CgroupNode app = root.CreateChild("app");
        var events = Channel.CreateUnbounded<KernelEvent>();
        using var watcher = new KernelEventWatcher(events.Writer);
        watcher.WatchCgroup("app", app);
        Assert.Throws<ArgumentException>(() => watcher.WatchCgroup("app", app));
        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(TestSpawner.Sh("exec sleep 1000", app)));
        await events.Reader.ReadUntilAsync(e => e is CgroupPopulatedChanged { Populated: true }, Wait, "populated=true");
        app.Kill();
        await events.Reader.ReadUntilAsync(e => e is CgroupPopulatedChanged { Populated: false }, Wait, "populated=false");
        await started.ExitAsync();
        app.Remove();
        app.Dispose();

        // inotify delivers in order: once b's event is out, anything the removal of app caused has been handled.
        // Measured: kernfs sends no IN_IGNORED/IN_MODIFY when a cgroup is removed, so the watch stays until unwatched.
        using CgroupNode b = root.CreateChild("b");
        watcher.WatchCgroup("b", b);
        var other = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(TestSpawner.Sh("exec sleep 1000", b)));
        await events.Reader.ReadUntilAsync(e => e is CgroupPopulatedChanged { Key: "b", Populated: true }, Wait, "populated=true of b");
        Assert.True(watcher.UnwatchCgroup("app"));
        Assert.False(events.Reader.TryPeek(out _));
        b.Kill();
        await other.ExitAsync();
    }
}
