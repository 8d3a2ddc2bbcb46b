using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Daemon.Supervision.Status;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>From the loop's status snapshot to the protocol's <c>status</c> entry (field names of the original kept).</summary>
internal static class StatusMapping
{
    public static StatusEntry ToEntry(ServiceView v) => new()
    {
        Application = v.Name,
        Enabled = v.Enabled,
        Running = v.Running,
        Actual = v.Running ? ActualState.Running : ActualState.Stopped,
        Phase = v.Phase switch
        {
            Phase.Stopped => ServicePhase.Stopped,
            Phase.Idle => ServicePhase.Idle,
            Phase.Starting => ServicePhase.Starting,
            Phase.Restarting => ServicePhase.Restarting,
            Phase.Running => ServicePhase.Running,
            Phase.Stopping => ServicePhase.Stopping,
            Phase.Backoff => ServicePhase.Backoff,
            _ => ServicePhase.Failed,
        },
        State = v.State switch
        {
            ServiceState.Stopped => DetailedState.Stopped,
            ServiceState.Idle => DetailedState.Idle,
            ServiceState.Starting => DetailedState.Starting,
            ServiceState.Running => DetailedState.Running,
            ServiceState.Stopping => DetailedState.Stopping,
            ServiceState.Killing => DetailedState.Killing,
            ServiceState.Backoff => DetailedState.Backoff,
            _ => DetailedState.Failed,
        },
        Kind = v.IsJob ? ServiceKindName.Job : ServiceKindName.Service,
        Restarts10m = v.Restarts10m,
        SystemFlags = v.SystemFlags,
        UserFlags = v.UserFlags,
        Pids = v.Pids,
        PidUptimesMs = v.PidUptimesMs,
        WorkingDirectory = v.WorkingDirectory,
        ProvisioningDefined = v.ProvisioningDefined,
        ProvisioningMarker = v.ProvisioningMarker,
        ProvisioningMarkerExists = v.ProvisioningMarkerExists,
        SourceFile = v.SourceFile,
        LastRunAtMs = v.LastRunAt?.ToUnixTimeMilliseconds(),
        LastExitCode = v.LastExitCode,
        Schedule = v.Schedule,
        ScheduleNotBeforeMs = v.NotBefore?.ToUnixTimeMilliseconds(),
        ScheduleNotAfterMs = v.NotAfter?.ToUnixTimeMilliseconds(),
        ScheduleMaxTimePerRunMs = v.MaxTimePerRun is { } max ? (long)max.TotalMilliseconds : null,
        MainPid = v.MainPid,
        NextRunAtMs = v.NextRunAt?.ToUnixTimeMilliseconds(),
        Runs = [.. v.Runs.Select(r => new RunEntry
        {
            StartedAtMs = r.Started.Wall.ToUnixTimeMilliseconds(),
            EndedAtMs = r.Ended.Wall.ToUnixTimeMilliseconds(),
            DurationMs = (long)(r.Ended.Mono - r.Started.Mono).TotalMilliseconds,
            Result = r.Result.ToString(),
            ExitCode = r.Exit?.Code,
            Signal = r.Exit?.Signal,
            Detail = r.Detail,
        })],
        Detail = v.Detail,
        LimitProblems = v.LimitProblems,
        OomKills = v.Usage.OomKills,
        NrThrottled = (long?)v.Usage.NrThrottled,
        ThrottledUsec = (long?)v.Usage.ThrottledUsec,
        CpuPressureAvg10 = v.Usage.CpuSomeAvg10,
        MemoryPressureAvg10 = v.Usage.MemorySomeAvg10,
        IoPressureAvg10 = v.Usage.IoSomeAvg10,
    };
}
