using Microsoft.Extensions.Time.Testing;
using ProcessMaster.Core.Cron;

namespace ProcessMaster.Core.Tests.Cron;

/// <summary>
/// A miniature of the daemon's cron wiring on a <see cref="FakeTimeProvider"/>: the provider is the monotonic
/// clock that drives the one timer; the wall clock is the provider's time plus a skew that <see cref="StepWall"/>
/// changes (an NTP step, a suspend: the wall moves, the monotonic clock does not). The timer is armed as
/// <c>Due - wall</c>, and every wake reads the wall clock afresh, as the contract in docs/cron.md asks.
/// </summary>
internal sealed class SimulatedShell : IDisposable
{
    private readonly FakeTimeProvider _mono;
    private readonly CronPolicy _policy;
    private readonly TimeZoneInfo _zone;
    private TimeSpan _skew;
    private ITimer? _timer;

    public SimulatedShell(DateTimeOffset start, CronPolicy policy, TimeZoneInfo zone)
    {
        _mono = new FakeTimeProvider(start);
        _policy = policy;
        _zone = zone;
        State = CronPlanner.Begin(Wall);
        Arm(CronPlanner.Replan(State, policy, Wall, zone));
    }

    public DateTimeOffset Wall => _mono.GetUtcNow() + _skew;

    public CronState State { get; private set; }

    public DateTimeOffset? Due { get; private set; }

    public List<CronDecision> Decisions { get; } = [];

    public bool RunInProgress { get; set; }

    public IEnumerable<DateTimeOffset> Fired => Timeline.Fired(Decisions);

    /// <summary>Lets monotonic (and wall) time pass in increments of <paramref name="tick"/>; a coarse tick makes the timer late.</summary>
    public void Advance(TimeSpan total, TimeSpan tick)
    {
        for (TimeSpan done = TimeSpan.Zero; done < total; done += tick)
        {
            _mono.Advance(tick <= total - done ? tick : total - done);
        }
    }

    /// <summary>The wall clock jumps by <paramref name="delta"/>; the monotonic clock does not move. With
    /// <paramref name="detected"/> the shell noticed the step and re-plans at once; otherwise the old timer stands.</summary>
    public void StepWall(TimeSpan delta, bool detected)
    {
        _skew += delta;
        if (detected) Arm(CronPlanner.Replan(State, _policy, Wall, _zone));
    }

    public void Dispose() => _timer?.Dispose();

    private void Wake()
    {
        CronStep step = CronPlanner.OnTimer(State, _policy, Wall, _zone, RunInProgress);
        Decisions.Add(step.Decision);
        Arm(step);
    }

    private void Arm(CronStep step)
    {
        State = step.State;
        Due = step.Due;
        _timer?.Dispose();
        _timer = null;
        if (step.Due is not { } due) return;

        // A due instant already passed means "wake at once"; one tick keeps the fake provider from calling back
        // synchronously inside CreateTimer.
        TimeSpan delay = due - Wall;
        if (delay <= TimeSpan.Zero) delay = TimeSpan.FromTicks(1);
        _timer = _mono.CreateTimer(_ => Wake(), null, delay, Timeout.InfiniteTimeSpan);
    }
}
