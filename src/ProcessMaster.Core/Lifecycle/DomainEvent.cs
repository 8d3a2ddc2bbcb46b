using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Lifecycle;

/// <summary>Something that happened to a service, announced through <see cref="Publish"/>.</summary>
public abstract record DomainEvent(Moment At);

/// <summary>The state changed (published only by <c>Enter</c>, exactly once per change).</summary>
/// <param name="From">The previous state.</param>
/// <param name="To">The new state.</param>
/// <param name="Cause">The input that caused it.</param>
/// <param name="At">When.</param>
public sealed record StateChanged(ServiceState From, ServiceState To, ServiceInput Cause, Moment At) : DomainEvent(At);

/// <summary>System flags changed (rules applied, expiry pruned, or a direct set/clear).</summary>
public sealed record FlagsChanged(FlagSet<SystemFlag> Before, FlagSet<SystemFlag> After, Moment At) : DomainEvent(At);

/// <summary>An automatic restart is due at <paramref name="Until"/> (attempt <paramref name="Attempt"/> of <paramref name="MaxRestarts"/>).</summary>
public sealed record RestartScheduled(Moment Until, int Attempt, int MaxRestarts, Moment At) : DomainEvent(At);

/// <summary>A request was not carried out; <paramref name="Reason"/> says why and what to do.</summary>
public sealed record RequestRefused(ServiceInput Request, string Reason, Moment At) : DomainEvent(At);

/// <summary>The stop_command failed; the stop falls back to SIGTERM.</summary>
public sealed record StopCommandFallback(string Reason, Moment At) : DomainEvent(At);

/// <summary>The cgroup is still populated <paramref name="Waited"/> after <c>cgroup.kill</c> (e.g. processes in
/// uninterruptible sleep); the service stays Killing until the kernel reports it empty.</summary>
public sealed record StopStalled(TimeSpan Waited, Moment At) : DomainEvent(At);
