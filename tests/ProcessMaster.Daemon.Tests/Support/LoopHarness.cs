using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Daemon.Persistence;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Logs;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Linux.Watchers;
using ProcessMaster.Testing;

namespace ProcessMaster.Daemon.Tests.Support;

/// <summary>
/// A <see cref="SupervisorLoop"/> in this process as the daemon host builds it — real spawner, kernel event watcher,
/// log captures and a master cgroup inside a <see cref="CgroupSandbox"/> — but on a <see cref="FakeTimeProvider"/>:
/// deadlines (stop grace, cron, flag expiry) come due when the test advances the clock, not after real waiting.
/// Every journal event is also written to <see cref="Events"/> for the test to await.
/// </summary>
internal sealed class LoopHarness : IAsyncDisposable
{
    private readonly Channel<DaemonEvent> _events = Channel.CreateUnbounded<DaemonEvent>();
    private readonly CgroupSandbox _sandbox;
    private readonly TempDirectory _dir = new("pm-loop-");
    private readonly CgroupNode _root;
    private readonly ServiceCaptures _captures;
    private readonly KernelEventWatcher _watcher;
    private readonly IDisposable _subscription;

    public LoopHarness(DateTimeOffset start)
    {
        _sandbox = CgroupSandbox.Create();
        Time = new FakeTimeProvider(start);
        Journal = new EventJournal(Time);
        _subscription = Journal.Subscribe(e => _events.Writer.TryWrite(e));
        _root = CgroupNode.Open(_sandbox.Path);
        Master = MasterCgroup.Setup(_root, "pm", enableControllers: false);
        _captures = new ServiceCaptures(LogFifo.OpenRuntimeDirectory(_dir.File("pipes")), Journal);
        var kernelEvents = Channel.CreateUnbounded<KernelEvent>(new UnboundedChannelOptions { SingleReader = true });
        _watcher = new KernelEventWatcher(kernelEvents.Writer);
        var spawner = new Spawner(new ChildProcessRegistry(), _watcher);
        spawner.CheckCloneIntoCgroup(Master.Node);
        Loop = new SupervisorLoop(new DaemonClock(Time), Journal, spawner, Master, _captures, _watcher, kernelEvents.Reader, TimeZoneInfo.Utc);
        Loop.Start();
    }

    public FakeTimeProvider Time { get; }

    public EventJournal Journal { get; }

    public MasterCgroup Master { get; }

    public SupervisorLoop Loop { get; }

    /// <summary>A scratch directory of the test's own (working directories, marker files).</summary>
    public TempDirectory Scratch => _dir;

    /// <summary>Boots the loop with these definitions (embedded flag rules), as the daemon does after loading them.</summary>
    public Task BootAsync(PersistedState? saved = null, params ServiceDefinition[] definitions) =>
        Loop.BootAsync(definitions, FlagRuleSet.Embedded, saved, sameBoot: true);

    /// <summary>Waits until everything queued on the loop so far has run (timer callbacks post to it).</summary>
    public Task DrainAsync() => Loop.InvokeAsync(static () => true);

    /// <summary>Moves the fake clock on (due timers fire now, on this thread, and post to the loop), then drains the loop.</summary>
    public Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        return DrainAsync();
    }

    /// <summary>The next journal event of <paramref name="app"/> whose message contains <paramref name="text"/>.</summary>
    public Task<DaemonEvent> EventAsync(string app, string text) =>
        _events.Reader.ReadUntilAsync(e => e.App == app && e.Message.Contains(text, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), $"an event of {app} containing \"{text}\"");

    /// <summary>Every event so far (in memory), for asserting that something did not happen.</summary>
    public IReadOnlyList<DaemonEvent> History(string app) => Journal.Last(EventJournal.Capacity, app);

    public async ValueTask DisposeAsync()
    {
        await Loop.DisposeAsync();
        _captures.Dispose();
        _watcher.Dispose();
        Master.Dispose();
        _root.Dispose();
        _subscription.Dispose();
        _sandbox.Dispose();
        _dir.Dispose();
    }
}
