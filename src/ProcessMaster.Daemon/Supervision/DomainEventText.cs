using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;
using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>Domain events as the operator reads them in <c>pmctl events</c> and the daemon log (STYLE §8).</summary>
internal static class DomainEventText
{
    /// <summary>The component and message of an event; <paramref name="runtime"/> is the state after it.</summary>
    public static (string Component, string Message) Describe(DomainEvent e, ServiceRuntime runtime) => e switch
    {
        StateChanged s => ("state", $"{Phase(s.From, runtime, s.To == s.From)} -> {Phase(s.To, runtime, true)} ({Cause(s.Cause)})"
                                    + (s.To is ServiceState.Failed or ServiceState.Backoff && runtime.Detail is { } d ? $": {d}" : "")),
        FlagsChanged f => ("flag", $"system flags {Flags(f.Before)} -> {Flags(f.After)}"),
        RestartScheduled r => ("restart", $"restart in {DurationText.Format(r.Until.Mono - r.At.Mono)} (attempt {r.Attempt} of {r.MaxRestarts} within the tolerance window)"),
        RequestRefused r => ("cmd", $"{Cause(r.Request)} refused: {r.Reason}"),
        StopCommandFallback f => ("stop", $"stop_command failed: {f.Reason}; sending SIGTERM to every process instead"),
        StopStalled s => ("stop", $"still populated {DurationText.Format(s.Waited)} after cgroup.kill (processes in uninterruptible sleep?); waiting for the kernel to empty it"),
        _ => ("state", e.ToString()),
    };

    /// <summary>
    /// How much an event needs an operator, by its kind: giving up (FAILED) is an error; a crash on its way to a
    /// restart, a failed spawn, a refused request, a stop command that failed or a stop that stalls are warnings.
    /// </summary>
    public static EventSeverity Severity(DomainEvent e) => e switch
    {
        StateChanged { To: ServiceState.Failed } => EventSeverity.Error,
        StateChanged { To: ServiceState.Backoff } or StateChanged { Cause: SpawnFailed } => EventSeverity.Warning,
        RequestRefused or StopCommandFallback or StopStalled => EventSeverity.Warning,
        _ => EventSeverity.Info,
    };

    /// <summary>A finished job run is a warning unless it succeeded or an operator stopped it.</summary>
    public static EventSeverity Severity(RunRecord run) =>
        run.Result is ServiceResult.Success or ServiceResult.Stopped ? EventSeverity.Info : EventSeverity.Warning;

    /// <summary>A finished job run.</summary>
    public static string Run(RunRecord run) =>
        $"run ended after {DurationText.Format(run.Ended.Mono - run.Started.Mono)}: {run.Result}" +
        (run.Exit is { } exit ? $", main process {exit}" : "") + (run.Detail is { } d ? $": {d}" : "");

    /// <summary>What caused a transition, in words.</summary>
    public static string Cause(ServiceInput input) => input switch
    {
        StartRequested r => $"start requested by {Who(r.By)}{(r.Force ? " (forced)" : "")}",
        StopRequested r => $"stop requested by {Who(r.By)}{(r.Force ? " (forced: cgroup.kill now)" : "")}",
        RestartRequested r => $"restart requested by {Who(r.By)}{(r.Force ? " (forced)" : "")}",
        Spawned s => $"spawned, main pid {s.Pid}" + (s.Uid is { } uid ? $" as uid {uid} gid {s.Gid}" : ""),
        SpawnFailed f => f.Message,
        MainExited m => $"main process {m.Pid} {m.Status}",
        CgroupPopulated => "cgroup populated",
        CgroupEmptied => "cgroup empty: no process left",
        DeadlineReached => "deadline reached",
        StopCommandFinished { Error: { } error } => $"stop_command could not run: {error}",
        StopCommandFinished f => $"stop_command exited with code {f.ExitCode}",
        Adopted a => $"found running after a daemon restart ({a.Pids.Count} processes), adopted",
        DefinitionReloaded d => $"definition {d.Change.ToString().ToLowerInvariant()}",
        DefinitionRemoved => "definition removed",
        _ => input.GetType().Name,
    };

    private static string Who(Requester by) => by.ToString().ToLowerInvariant();

    private static string Phase(ServiceState state, ServiceRuntime runtime, bool current) =>
        state.ToPhase(current && runtime.IsRestart).Name();

    private static string Flags(FlagSet<SystemFlag> flags) => flags.Count == 0 ? "(none)" : string.Join(',', flags.Names.Select(f => f.Name()));
}
