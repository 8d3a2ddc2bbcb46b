using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>status</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StatusParams
{
    /// <summary>One service; null or <c>all</c> = every service, sorted by name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// New: also read each service's resource counters now (<c>oom_kills</c>, <c>nr_throttled</c>,
    /// <c>throttled_usec</c>, the pressure averages: five cgroup files per service). Without it those fields are null.
    /// </summary>
    public bool Resources { get; init; }
}

/// <summary>Result of <c>status</c>.</summary>
public sealed record StatusResult
{
    /// <summary>One entry per service, sorted by name.</summary>
    public IReadOnlyList<StatusEntry> Statuses { get; set; } = [];

    /// <summary>New: daemon-level conditions an operator must see, e.g. <c>web console: not serving: ...</c> (absent: none).</summary>
    public IReadOnlyList<string> Notices { get; set; } = [];
}

/// <summary>
/// One service's status. Field names and meanings are the original's (<c>pmctl status --format json</c> scripts keep
/// working); fields after <see cref="ScheduleMaxTimePerRunMs"/> are new. Nullable fields are always written (as null).
/// </summary>
public sealed record StatusEntry
{
    /// <summary>Service name.</summary>
    public required string Application { get; init; }
    /// <summary><c>global.enabled</c>.</summary>
    public bool Enabled { get; init; }
    /// <summary>The app cgroup has at least one process.</summary>
    public bool Running { get; init; }
    /// <summary><c>RUNNING</c> or <c>STOPPED</c>: cgroup truth.</summary>
    public ActualState Actual { get; init; }
    /// <summary>The state an operator sees.</summary>
    public ServicePhase Phase { get; init; }
    /// <summary>Crashes (automatic restarts) in the last 10 minutes.</summary>
    [JsonPropertyName("restarts_10m")]
    public int Restarts10m { get; init; }
    /// <summary>System flags visible in the current state.</summary>
    public IReadOnlyList<string> SystemFlags { get; set; } = [];
    /// <summary>User flags, sorted.</summary>
    public IReadOnlyList<string> UserFlags { get; set; } = [];
    /// <summary>PIDs in the app cgroup, sorted.</summary>
    public IReadOnlyList<int> Pids { get; set; } = [];
    /// <summary>Uptime per PID (same index) in ms; -1 when unknown.</summary>
    public IReadOnlyList<long> PidUptimesMs { get; set; } = [];
    /// <summary>The service's working directory.</summary>
    public string? WorkingDirectory { get; init; }
    /// <summary><c>{working_directory}/.pm_provisioned</c> when provisioning is defined, else null.</summary>
    public string? ProvisioningMarker { get; init; }
    /// <summary>The provisioning list is non-empty.</summary>
    public bool ProvisioningDefined { get; init; }
    /// <summary>Provisioning is defined and its marker file exists.</summary>
    public bool ProvisioningMarkerExists { get; init; }
    /// <summary>The definition's YAML file.</summary>
    public string? SourceFile { get; init; }
    /// <summary>Last start attempt, epoch ms.</summary>
    public long? LastRunAtMs { get; init; }
    /// <summary>Last observed exit code.</summary>
    public int? LastExitCode { get; init; }
    /// <summary>Cron text of a job.</summary>
    public string? Schedule { get; init; }
    /// <summary>Job window start, epoch ms.</summary>
    public long? ScheduleNotBeforeMs { get; init; }
    /// <summary>Job window end, epoch ms.</summary>
    public long? ScheduleNotAfterMs { get; init; }
    /// <summary>Job run time limit in ms.</summary>
    public long? ScheduleMaxTimePerRunMs { get; init; }

    /// <summary>New: <c>service</c> or <c>job</c>.</summary>
    public ServiceKindName Kind { get; init; }
    /// <summary>New: the fine-grained state (<c>stopping</c> vs <c>killing</c>, <c>idle</c> for jobs, ...).</summary>
    public DetailedState State { get; init; }
    /// <summary>New: the main PID the daemon started or adopted, if known.</summary>
    public int? MainPid { get; init; }
    /// <summary>New: next scheduled run of a job, epoch ms.</summary>
    public long? NextRunAtMs { get; init; }
    /// <summary>New: the last finished runs of a job, oldest first (up to 50).</summary>
    public IReadOnlyList<RunEntry> Runs { get; init; } = [];
    /// <summary>New: why the last instance or run ended, or why it failed, in words.</summary>
    public string? Detail { get; init; }
    /// <summary>New: configured limits the kernel could not apply (e.g. a controller that is off), each with its fix.</summary>
    public IReadOnlyList<string> LimitProblems { get; init; } = [];
    /// <summary>New: <c>oom_kill</c> of the app cgroup's <c>memory.events</c> (null: memory controller off, or not asked for: <see cref="StatusParams.Resources"/>).</summary>
    public long? OomKills { get; init; }
    /// <summary>New: <c>nr_throttled</c> of <c>cpu.stat</c>, periods in which <c>max_cpu</c> throttled it (null: cpu controller off).</summary>
    public long? NrThrottled { get; init; }
    /// <summary>New: <c>throttled_usec</c> of <c>cpu.stat</c> (null: cpu controller off).</summary>
    public long? ThrottledUsec { get; init; }
    /// <summary>New: <c>some avg10</c> of <c>cpu.pressure</c>, percent (null: no PSI).</summary>
    [JsonPropertyName("cpu_pressure_avg10")]
    public double? CpuPressureAvg10 { get; init; }
    /// <summary>New: <c>some avg10</c> of <c>memory.pressure</c>, percent (null: no PSI).</summary>
    [JsonPropertyName("memory_pressure_avg10")]
    public double? MemoryPressureAvg10 { get; init; }
    /// <summary>New: <c>some avg10</c> of <c>io.pressure</c>, percent (null: no PSI).</summary>
    [JsonPropertyName("io_pressure_avg10")]
    public double? IoPressureAvg10 { get; init; }
}

/// <summary>One finished run of a job.</summary>
public sealed record RunEntry
{
    /// <summary>Start, epoch ms.</summary>
    public long StartedAtMs { get; init; }
    /// <summary>End, epoch ms.</summary>
    public long EndedAtMs { get; init; }
    /// <summary>Duration in ms.</summary>
    public long DurationMs { get; init; }
    /// <summary>How it ended: Success, ExitCode, Signal, Overtime, SpawnFailed, Stopped, Killed, Vanished.</summary>
    public required string Result { get; init; }
    /// <summary>Exit code of the main process, if it exited.</summary>
    public int? ExitCode { get; init; }
    /// <summary>Signal that killed the main process, if one did.</summary>
    public int? Signal { get; init; }
    /// <summary>Detail (e.g. the spawn error).</summary>
    public string? Detail { get; init; }
}

/// <summary>cgroup truth: populated or not.</summary>
[JsonConverter(typeof(UpperSnakeEnumConverter<ActualState>))]
public enum ActualState
{
    /// <summary>The app cgroup is empty.</summary>
    Stopped,
    /// <summary>The app cgroup is populated.</summary>
    Running,
}

/// <summary>The operator's view of a service (<c>phase</c>), written in upper case as the original did.</summary>
[JsonConverter(typeof(UpperSnakeEnumConverter<ServicePhase>))]
public enum ServicePhase
{
    /// <summary>Not running.</summary>
    Stopped,
    /// <summary>Job between runs.</summary>
    Idle,
    /// <summary>Being started.</summary>
    Starting,
    /// <summary>Being started again after a restart request or a crash.</summary>
    Restarting,
    /// <summary>Running.</summary>
    Running,
    /// <summary>Being stopped.</summary>
    Stopping,
    /// <summary>Waiting to restart after a crash.</summary>
    Backoff,
    /// <summary>Gave up restarting; stays until started by hand.</summary>
    Failed,
}

/// <summary>The fine-grained lifecycle state (<c>state</c>), lower case.</summary>
[JsonConverter(typeof(LowerSnakeEnumConverter<DetailedState>))]
public enum DetailedState
{
    /// <summary>Nothing runs, nothing pending.</summary>
    Stopped,
    /// <summary>Job waiting for its next run.</summary>
    Idle,
    /// <summary>Spawn requested.</summary>
    Starting,
    /// <summary>cgroup populated.</summary>
    Running,
    /// <summary>Stop signal sent or stop_command running.</summary>
    Stopping,
    /// <summary><c>cgroup.kill</c> written.</summary>
    Killing,
    /// <summary>Restart due at a deadline.</summary>
    Backoff,
    /// <summary>Gave up.</summary>
    Failed,
}

/// <summary>Long-running service or scheduled job.</summary>
[JsonConverter(typeof(LowerSnakeEnumConverter<ServiceKindName>))]
public enum ServiceKindName
{
    /// <summary>A long-running service.</summary>
    Service,
    /// <summary>A cron job.</summary>
    Job,
}
