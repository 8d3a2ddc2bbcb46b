using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Lifecycle;

/// <summary>An imperative the shell carries out for one service; results come back as <see cref="ServiceInput"/>s.</summary>
public abstract record Effect;

/// <summary>Spawn the main process inside the service's cgroup; report <see cref="Spawned"/> or <see cref="SpawnFailed"/>.</summary>
public sealed record Spawn : Effect;

/// <summary>Send <paramref name="Signal"/> to every process in the service's cgroup.</summary>
public sealed record SendSignal(Signal Signal) : Effect;

/// <summary>Run the configured stop_command inside the service's cgroup; report <see cref="StopCommandFinished"/>.</summary>
public sealed record RunStopCommand : Effect;

/// <summary>Write <c>1</c> to the service's <c>cgroup.kill</c> (SIGKILL to the whole subtree).</summary>
public sealed record KillCgroup : Effect;

/// <summary>Announce a domain event (events stream, audit log, persisted state).</summary>
public sealed record Publish(DomainEvent Event) : Effect;

/// <summary>Persist the result of a finished job run.</summary>
public sealed record RecordRun(RunRecord Run) : Effect;
