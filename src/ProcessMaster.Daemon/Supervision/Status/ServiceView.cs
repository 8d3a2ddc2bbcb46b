using ProcessMaster.Core.Lifecycle;

namespace ProcessMaster.Daemon.Supervision.Status;

/// <summary>A consistent snapshot of one app for <c>status</c>, taken on the loop.</summary>
internal sealed record ServiceView(
    string Name,
    bool Enabled,
    bool IsJob,
    ServiceState State,
    Phase Phase,
    bool Running,
    int? MainPid,
    IReadOnlyList<int> Pids,
    IReadOnlyList<long> PidUptimesMs,
    int Restarts10m,
    IReadOnlyList<string> SystemFlags,
    IReadOnlyList<string> UserFlags,
    string WorkingDirectory,
    string SourceFile,
    bool ProvisioningDefined,
    string? ProvisioningMarker,
    bool ProvisioningMarkerExists,
    DateTimeOffset? LastRunAt,
    int? LastExitCode,
    string? LastExit,
    string? Schedule,
    DateTimeOffset? NotBefore,
    DateTimeOffset? NotAfter,
    TimeSpan? MaxTimePerRun,
    DateTimeOffset? NextRunAt,
    string? Detail,
    bool Outdated,
    IReadOnlyList<string> LimitProblems,
    IReadOnlyList<RunRecord> Runs,
    ProcessMaster.Linux.Cgroups.CgroupUsage Usage);
