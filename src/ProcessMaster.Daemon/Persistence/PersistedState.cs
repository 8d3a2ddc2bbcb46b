using System.Text.Json.Serialization;
using ProcessMaster.Core.Lifecycle;

namespace ProcessMaster.Daemon.Persistence;

/// <summary>
/// The state file (<c>global.state_file</c>): what a daemon restart must not lose — desired state, the state
/// machine's runtime (so adoption resumes where it was), flags with expiry, restart history, job runs.
/// Times are wall-clock Unix milliseconds plus, where deadlines hang on them, CLOCK_MONOTONIC ticks of
/// <see cref="BootId"/>'s boot.
/// </summary>
internal sealed class PersistedState
{
    /// <summary>The format version this daemon writes and reads.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    /// <summary>The kernel's boot id when saved: monotonic times from another boot are rebased.</summary>
    public string? BootId { get; set; }

    public long SavedAtMs { get; set; }

    public Dictionary<string, PersistedService> Services { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One app in the state file.</summary>
internal sealed class PersistedService
{
    public ServiceState State { get; set; }
    public Desired Desired { get; set; }
    public PersistedMoment Since { get; set; } = new();
    public bool Populated { get; set; }
    public int? MainPid { get; set; }
    public PersistedMoment? StartedAt { get; set; }
    public int? LastExitCode { get; set; }
    public int? LastExitSignal { get; set; }
    public ServiceResult Result { get; set; }
    public string? Detail { get; set; }
    public Requester StartedBy { get; set; }
    public bool IsRestart { get; set; }
    public PendingKind? PendingKind { get; set; }
    public Requester? PendingBy { get; set; }
    public StopCause? StopCause { get; set; }
    public List<PersistedMoment> Crashes { get; set; } = [];
    public Dictionary<string, long?> SystemFlags { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, long?> UserFlags { get; set; } = new(StringComparer.Ordinal);
    public long? LastStartAttemptMs { get; set; }
    public long? CronHandledUpToMs { get; set; }
    public long? CronLastFiredMs { get; set; }
    /// <summary>The exit keeper of the running main process (its parent, which records its exit status) and its start time.</summary>
    public int? KeeperPid { get; set; }
    public long? KeeperStartTicks { get; set; }
    public List<PersistedRun> Runs { get; set; } = [];
}

/// <summary>A <see cref="Core.Time.Moment"/>: Unix ms and monotonic ticks.</summary>
internal sealed class PersistedMoment
{
    public long WallMs { get; set; }
    public long MonoTicks { get; set; }
}

/// <summary>A finished job run.</summary>
internal sealed class PersistedRun
{
    public PersistedMoment Started { get; set; } = new();
    public PersistedMoment Ended { get; set; } = new();
    public ServiceResult Result { get; set; }
    public int? ExitCode { get; set; }
    public int? ExitSignal { get; set; }
    public string? Detail { get; set; }
}

/// <summary>Source-generated JSON for the state file (no reflection; NativeAOT-clean).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PersistedState))]
internal sealed partial class PersistenceJsonContext : JsonSerializerContext;
