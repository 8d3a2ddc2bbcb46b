using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Lifecycle;

/// <summary>
/// The working copy of one <see cref="ServiceLifecycle.Decide"/> call: the runtime being built and the effects so far.
/// Local to the call (Decide stays a pure function); <see cref="Enter"/> is the only place that changes the state.
/// </summary>
internal sealed class Step
{
    private readonly List<Effect> _effects = [];
    private readonly FlagSet<SystemFlag> _flagsBefore;

    public Step(ServiceRuntime s, ServiceInput cause, Moment now, ServicePolicy p)
    {
        Cause = cause;
        Now = now;
        P = p;
        _flagsBefore = s.Flags;
        S = s with { Flags = s.Flags.Prune(now.Wall, out _) };
    }

    /// <summary>The runtime being built.</summary>
    public ServiceRuntime S { get; private set; }

    public ServiceInput Cause { get; }

    public Moment Now { get; }

    public ServicePolicy P { get; }

    public bool IsJob => P.Kind == ServiceKind.Job;

    /// <summary>The state a service rests in when nothing runs: Idle for a job, Stopped for a service.</summary>
    public ServiceState RestState => IsJob ? ServiceState.Idle : ServiceState.Stopped;

    /// <summary>Replaces fields other than <see cref="ServiceRuntime.State"/>, <see cref="ServiceRuntime.Since"/>.</summary>
    public Step With(Func<ServiceRuntime, ServiceRuntime> change)
    {
        S = change(S);
        return this;
    }

    /// <summary>
    /// The one choke point for state changes (cf. systemd's <c>service_set_state</c>): sets State and Since,
    /// recomputes the deadline for the new state (dropping the old one), clears what only the old state meant
    /// (<c>backoff</c> flag, stop cause) and publishes exactly one <see cref="StateChanged"/>.
    /// </summary>
    public Step Enter(ServiceState to)
    {
        var from = S.State;
        if (from == to) return this;
        var flags = from == ServiceState.Backoff ? S.Flags.Remove(SystemFlag.Backoff) : S.Flags;
        S = S with
        {
            State = to,
            Since = Now,
            Flags = flags,
            StopCause = to.IsStopping() ? S.StopCause : null,
            Pending = to.IsAtRest() ? null : S.Pending,
        };
        S = S with { Deadline = ServiceLifecycle.DeadlineFor(S, P) };
        return Publish(new StateChanged(from, to, Cause, Now));
    }

    public Step Do(Effect effect)
    {
        _effects.Add(effect);
        return this;
    }

    public Step Publish(DomainEvent domainEvent) => Do(new Publish(domainEvent));

    public Step Refuse(string reason) => Publish(new RequestRefused(Cause, reason, Now));

    /// <summary>Sets a system flag through the rules in force.</summary>
    public Step SetFlag(SystemFlag flag) => With(s => s with { Flags = P.FlagRules.Apply(s.Flags, flag).Flags });

    /// <summary>Sets a system flag without rules (the original sets <c>backoff</c>, <c>ot_killed</c>, <c>outdated</c> this way).</summary>
    public Step SetFlagDirect(SystemFlag flag, DateTimeOffset? expiry = null) => With(s => s with { Flags = s.Flags.Set(flag, expiry) });

    /// <summary>Clears a system flag without rules.</summary>
    public Step ClearFlagDirect(SystemFlag flag) => With(s => s with { Flags = s.Flags.Remove(flag) });

    /// <summary>The result; one <see cref="FlagsChanged"/> is added when the flags differ from the input's.</summary>
    public Transition ToTransition()
    {
        if (!S.Flags.Equals(_flagsBefore)) Publish(new FlagsChanged(_flagsBefore, S.Flags, Now));
        return new Transition(S, _effects);
    }
}
