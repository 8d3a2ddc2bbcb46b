using System.Threading.Channels;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Linux.Watchers;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// The one loop that owns all supervision state (STYLE §6, §9). Everything else — kernel events, timers,
/// effect results, RPC commands — reaches it as work items through a single-reader channel, so no lock
/// guards the slots. For each input: read the clock once, <see cref="ServiceLifecycle.Decide"/>, store the next
/// runtime, run the effects (anything slow runs off the loop and reports back as an input), re-arm the
/// one deadline timer.
/// </summary>
internal sealed partial class SupervisorLoop : IAsyncDisposable
{
    private readonly Channel<Action> _inbox = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ChannelReader<KernelEvent> _kernelEvents;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, ServiceSlot> _slots = new(StringComparer.Ordinal);
    private readonly DaemonClock _clock;
    private readonly DeadlineSchedule _deadlines;
    private readonly EventJournal _journal;
    private readonly Spawner _spawner;
    private readonly MasterCgroup _master;
    private readonly KernelEventWatcher _watcher;
    private readonly ServiceCaptures _captures;
    private readonly ExitRecords? _exits;
    private readonly TimeZoneInfo _zone;
    private readonly SpawnThreads _spawnThreads = new();
    private readonly CronRunner _cron;
    private readonly UserFlagExpiry _userFlags;
    private readonly Status.StatusBoard _status;
    private Task? _run;
    private Task? _pump;

    /// <param name="watcher">The kernel event watcher (shared with the spawner, which reaps children on its thread); the owner disposes it after the loop.</param>
    /// <param name="kernelEvents">The channel <paramref name="watcher"/> writes to.</param>
    public SupervisorLoop(DaemonClock clock, EventJournal journal, Spawner spawner, MasterCgroup master, ServiceCaptures captures,
        KernelEventWatcher watcher, ChannelReader<KernelEvent> kernelEvents, TimeZoneInfo? zone = null, ExitRecords? exits = null)
    {
        _exits = exits;
        _captures = captures;
        _zone = zone ?? TimeZoneInfo.Local;
        _status = new Status.StatusBoard(_zone);
        _clock = clock;
        _journal = journal;
        _spawner = spawner;
        _master = master;
        _deadlines = new DeadlineSchedule(clock, () => Post(OnDeadlinesDue));
        _cron = new CronRunner(clock, _deadlines, journal, _zone, Feed, () => StateChanged?.Invoke());
        _userFlags = new UserFlagExpiry(clock, _deadlines, journal, () => StateChanged?.Invoke());
        _watcher = watcher;
        _kernelEvents = kernelEvents;
    }

    private int _disposed;

    /// <summary>Raised on the loop thread after any change worth persisting.</summary>
    public event Action? StateChanged;

    /// <summary>Starts the loop and the kernel event pump.</summary>
    public void Start()
    {
        _run = Task.Run(RunAsync);
        _pump = Task.Run(PumpKernelEventsAsync);
    }

    /// <summary>What a caller is told when the loop has closed (the daemon is shutting down) before its request ran.</summary>
    public const string ClosedMessage = "the daemon is shutting down; the request was not carried out";

    /// <summary>Queues work for the loop thread. False (and an event) when the loop has closed: the work never runs.</summary>
    public bool Post(Action work)
    {
        if (_inbox.Writer.TryWrite(work)) return true;
        _journal.Append("daemon", null, "supervision loop is closed; request dropped", EventSeverity.Warning);
        return false;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the loop thread and returns its result. Work queued before the loop closed still
    /// runs (the loop drains its inbox); once it has closed, the task fails at once with <see cref="ClosedMessage"/>
    /// instead of never completing.
    /// </summary>
    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool queued = Post(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        if (!queued) done.SetException(new RpcException(RpcErrorCodes.Refused, ClosedMessage));
        return done.Task;
    }

    /// <summary>Feeds one input to one service (loop thread only).</summary>
    internal void Feed(ServiceSlot slot, ServiceInput input)
    {
        Moment now = _clock.Now();
        Transition t = ServiceLifecycle.Decide(slot.Runtime, input, now, slot.Policy);
        bool changed = !ReferenceEquals(t.Next, slot.Runtime) && !t.Next.Equals(slot.Runtime);
        slot.Runtime = t.Next;
        if (t.Effects.OfType<Spawn>().Any()) slot.LastStartAttempt = now.Wall;
        string? refusal = null;
        foreach (Effect effect in t.Effects)
        {
            if (effect is Publish { Event: RequestRefused refused } && ReferenceEquals(refused.Request, input)) refusal = refused.Reason;
            Run(slot, effect);
        }
        _deadlines.Set(DeadlineKey.State(slot.Name), t.Next.Deadline);
        CompleteWaiters(slot, refusal);
        if (changed) StateChanged?.Invoke();
        if (slot.Removed && slot.Runtime.State.IsAtRest() && !slot.Runtime.Populated) Forget(slot);
    }

    /// <summary>Registers a waiter that completes when <paramref name="done"/> holds (checked now and after every input).</summary>
    internal Task<ServiceOutcome> WaitFor(ServiceSlot slot, Func<ServiceRuntime, bool> done)
    {
        var waiter = new StateWaiter(done);
        slot.Waiters.Add(waiter);
        return waiter.Completion.Task;
    }

    private void CompleteWaiters(ServiceSlot slot, string? refusal)
    {
        for (int i = slot.Waiters.Count - 1; i >= 0; i--)
        {
            StateWaiter waiter = slot.Waiters[i];
            if (refusal is not null)
                waiter.Completion.TrySetResult(new ServiceOutcome(slot.Name, slot.Runtime, refusal));
            else if (waiter.Done(slot.Runtime))
                waiter.Completion.TrySetResult(new ServiceOutcome(slot.Name, slot.Runtime, null));
            else
                continue;
            slot.Waiters.RemoveAt(i);
        }
    }

    private void OnDeadlinesDue()
    {
        foreach (DeadlineKey key in _deadlines.Due(_clock.Mono()))
        {
            if (!_slots.TryGetValue(key.Service, out ServiceSlot? slot)) continue;
            switch (key.Kind)
            {
                case DeadlineKind.State:
                    Feed(slot, new DeadlineReached());
                    break;
                case DeadlineKind.UserFlags:
                    _userFlags.OnDue(slot);
                    break;
                case DeadlineKind.Cron:
                    _cron.OnDue(slot);
                    break;
                case DeadlineKind.Recheck:
                    SyncPopulated(slot);
                    break;
            }
        }
    }

    private async Task RunAsync()
    {
        await foreach (Action work in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                work();
            }
            catch (Exception e) when (ResourceShortage.Of(e) is { } shortage)
            {
                // Out of descriptors or the like (audit N-17): this step is lost, supervision is not; the step's own
                // error handling reports most such failures, this is the backstop.
                _journal.Append("daemon", null, $"supervision loop: a step failed for want of a resource ({shortage}): {e.Message}; supervision goes on", EventSeverity.Error);
            }
            catch (Exception e)
            {
                // A bug in one work item must not take supervision down silently; the loop owns every service.
                _journal.Append("daemon", null, $"internal error in the supervision loop: {e}", EventSeverity.Error);
                Environment.FailFast($"processmaster: supervision loop failed: {e.Message}", e);
            }
        }
    }

    private async Task PumpKernelEventsAsync()
    {
        try
        {
            await foreach (KernelEvent e in _kernelEvents.ReadAllAsync(_stopping.Token))
                Post(() => OnKernelEvent(e));
        }
        catch (OperationCanceledException)
        {
            // The loop is shutting down.
        }
    }

    private void Forget(ServiceSlot slot)
    {
        _watcher.UnwatchCgroup(slot.Name);
        _deadlines.Clear(slot.Name);
        try
        {
            slot.Cgroup?.Leaf.Remove();
            slot.Cgroup?.Node.Remove();
            _journal.Append("reconcile", slot.Name, $"definition removed; cgroup {slot.Cgroup?.Node.Path} removed");
        }
        catch (Exception e) when (e is IOException or Linux.LinuxException)
        {
            _journal.Append("reconcile", slot.Name, $"definition removed; cgroup {slot.Cgroup?.Node.Path} not removed: {e.Message}", EventSeverity.Warning);
        }
        slot.Cgroup?.Dispose();
        _captures.Detach(slot.Name);
        _slots.Remove(slot.Name);
        StateChanged?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _inbox.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_run is not null) await _run.ConfigureAwait(false);
        if (_pump is not null) await _pump.ConfigureAwait(false);
        _stopping.Dispose();
        _deadlines.Dispose();
        _spawnThreads.Dispose();
        foreach (ServiceSlot slot in _slots.Values) slot.Cgroup?.Dispose();
        // Log captures stop with ServiceCaptures (disposed after the loop): every unread byte stays in its FIFO for the next daemon.
    }
}
