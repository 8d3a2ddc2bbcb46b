using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Lifecycle;

/// <summary>One finished job run.</summary>
/// <param name="Started">When the run was requested to start.</param>
/// <param name="Ended">When it ended (cgroup empty, or spawn failure).</param>
/// <param name="Result">How it ended.</param>
/// <param name="Exit">The main process's status, if known.</param>
/// <param name="Detail">Operator-readable detail (spawn error), or null.</param>
public sealed record RunRecord(Moment Started, Moment Ended, ServiceResult Result, ExitStatus? Exit, string? Detail);
