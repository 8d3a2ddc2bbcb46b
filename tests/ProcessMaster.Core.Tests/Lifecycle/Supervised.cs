using Microsoft.Extensions.Time.Testing;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Tests.Lifecycle;

/// <summary>
/// A miniature shell for scenario tests: feeds inputs to <c>ServiceLifecycle.Decide</c> in order, keeps one timer
/// (on a <see cref="FakeTimeProvider"/>) for the runtime's deadline, and plays a tiny kernel that answers
/// effects the way the real shell would (spawn → Spawned, signal → exit if honoured, cgroup.kill → exit).
/// </summary>
internal sealed class Supervised
{
    private readonly Queue<ServiceInput> _inbox = new();
    private ITimer? _timer;
    private int _nextPid = 1000;

    public Supervised(ServicePolicy policy, ServiceRuntime? restored = null, FakeTimeProvider? clock = null)
    {
        Clock = clock ?? new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
        Policy = policy;
        Runtime = restored ?? ServiceRuntime.New(policy.Kind, Now);
        Rearm();
    }

    public FakeTimeProvider Clock { get; }
    public ServicePolicy Policy { get; set; }
    public ServiceRuntime Runtime { get; private set; }
    public List<Effect> Effects { get; } = [];
    public List<(ServiceInput Input, Transition Transition)> History { get; } = [];

    /// <summary>Kernel model: whether the app's cgroup has processes.</summary>
    public bool Populated { get; private set; }
    public int? MainPid { get; private set; }

    /// <summary>Kernel model knobs.</summary>
    public bool SpawnSucceeds { get; set; } = true;
    public bool HonoursStopSignal { get; set; } = true;
    public int ExitCodeOnStopSignal { get; set; }

    public Moment Now => new(Clock.GetUtcNow(), Clock.GetElapsedTime(0, Clock.GetTimestamp()));

    public IEnumerable<DomainEvent> Events => Effects.OfType<Publish>().Select(p => p.Event);
    public int SpawnCount => Effects.OfType<Spawn>().Count();

    public ServiceState State => Runtime.State;

    /// <summary>Feeds <paramref name="input"/> and everything the kernel model answers, then re-arms the timer.</summary>
    public Supervised Feed(ServiceInput input)
    {
        _inbox.Enqueue(input);
        Drain();
        return this;
    }

    /// <summary>Moves the clock; a due deadline fires through the timer.</summary>
    public Supervised Advance(TimeSpan delta)
    {
        Clock.Advance(delta);
        Drain();
        return this;
    }

    /// <summary>The main process exits (with the cgroup emptied unless <paramref name="leaveChildren"/>).</summary>
    public Supervised MainExits(int code, bool leaveChildren = false)
    {
        var pid = MainPid ?? throw new InvalidOperationException("no main process");
        MainPid = null;
        _inbox.Enqueue(new MainExited(pid, ExitStatus.Exited(code)));
        if (!leaveChildren) Empty();
        Drain();
        return this;
    }

    /// <summary>A restarted daemon finds <paramref name="pids"/> in the cgroup (the first one is the main process).</summary>
    public Supervised Adopt(params int[] pids)
    {
        Populated = pids.Length > 0;
        MainPid = pids.Length > 0 ? pids[0] : null;
        return Feed(new Adopted(pids));
    }

    /// <summary>The last process in the cgroup exits.</summary>
    public Supervised ChildrenExit()
    {
        Empty();
        Drain();
        return this;
    }

    private void Empty()
    {
        if (!Populated) return;
        Populated = false;
        _inbox.Enqueue(new CgroupEmptied());
    }

    private void Drain()
    {
        while (_inbox.TryDequeue(out var input))
        {
            var before = Runtime;
            var t = ServiceLifecycle.Decide(before, input, Now, Policy);
            Runtime = t.Next;
            History.Add((input, t));
            foreach (var effect in t.Effects) Run(effect);
            Rearm();
        }
    }

    private void Run(Effect effect)
    {
        Effects.Add(effect);
        switch (effect)
        {
            case Spawn:
                if (Populated) throw new InvalidOperationException("Spawn while the cgroup is populated: two instances");
                _inbox.Enqueue(new SpawnIssued()); // the shell's queue is empty here: issued at once
                if (!SpawnSucceeds)
                {
                    _inbox.Enqueue(new SpawnFailed("/bin/app: No such file or directory (ENOENT)", 2));
                    break;
                }
                Populated = true;
                MainPid = _nextPid++;
                _inbox.Enqueue(new Spawned(MainPid.Value));
                break;
            case SendSignal when HonoursStopSignal && Populated:
                if (MainPid is { } pid) _inbox.Enqueue(new MainExited(pid, ExitStatus.Exited(ExitCodeOnStopSignal)));
                MainPid = null;
                Empty();
                break;
            case KillCgroup when Populated:
                if (MainPid is { } victim) _inbox.Enqueue(new MainExited(victim, ExitStatus.Killed(9)));
                MainPid = null;
                Empty();
                break;
        }
    }

    /// <summary>One timer for the earliest (only) deadline, like the shell's.</summary>
    private void Rearm()
    {
        _timer?.Dispose();
        _timer = null;
        if (Runtime.Deadline is not { } due) return;
        var delay = due - Now.Mono;
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        _timer = Clock.CreateTimer(_ => _inbox.Enqueue(new DeadlineReached()), null, delay, Timeout.InfiniteTimeSpan);
    }
}
