using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Persistence;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Everything the loop holds for one service: its definition and policy, the runtime Decide works on, and the
/// kernel handles (cgroup, main process) the effects use. Touched only on the loop thread.
/// </summary>
internal sealed class ServiceSlot(ServiceDefinition definition, ServicePolicy policy, ServiceRuntime runtime)
{
    /// <summary>Most job runs kept (persisted and shown by status).</summary>
    public const int MaxRuns = 50;

    public string Name => Definition.Name.Value;

    public ServiceDefinition Definition { get; set; } = definition;

    public ServicePolicy Policy { get; set; } = policy;

    public ServiceRuntime Runtime { get; set; } = runtime;

    /// <summary>The service cgroup and its attach leaf, once created.</summary>
    public ServiceCgroup? Cgroup { get; set; }

    /// <summary>The cron planner's progress: occurrences handled so far (never run twice).</summary>
    public Core.Cron.CronState? Cron { get; set; }

    /// <summary>Next due run of a job (set by the cron runner).</summary>
    public DateTimeOffset? NextRunAt { get; set; }

    /// <summary>The main process we spawned (null after adoption: it is not our child).</summary>
    public ChildProcess? Main { get; set; }

    /// <summary>Its exit has not been reported to Decide yet.</summary>
    public bool MainAlive { get; set; }

    /// <summary>The exit keeper of the main process (its parent; see <see cref="ExitRecords"/>), and its start time (pid incarnation).</summary>
    public int? KeeperPid { get; set; }

    public long? KeeperStartTicks { get; set; }

    /// <summary>A spawn is in flight: cgroup events wait until its result is reported (Spawned comes first).</summary>
    public bool SpawnInFlight { get; set; }

    /// <summary>Incremented for each spawn, so late results of an abandoned spawn are recognised.</summary>
    public long SpawnGeneration { get; set; }


    /// <summary>Operator labels (user flags), with expiry.</summary>
    public FlagSet<string> UserFlags { get; set; } = FlagSet<string>.Empty;

    /// <summary>The last job runs, oldest first.</summary>
    public List<RunRecord> Runs { get; } = [];

    /// <summary>Wall time of the last start attempt (status: last_run_at_ms).</summary>
    public DateTimeOffset? LastStartAttempt { get; set; }

    /// <summary>Callers waiting for this service to reach a state (RPC start/stop/restart).</summary>
    public List<StateWaiter> Waiters { get; } = [];

    /// <summary>The definition was removed: forget the slot once at rest.</summary>
    public bool Removed { get; set; }

    /// <summary>The last definition file did not load; this definition is the last good one (flag outdated).</summary>
    public bool Outdated { get; set; }

    /// <summary>The <c>oom_kill</c> count of <c>memory.events</c> already reported (null: not exposed).</summary>
    public long? OomKillsSeen { get; set; }

    /// <summary>Why a configured limit could not be applied (reported once per start; shown by status).</summary>
    public IReadOnlyList<string> LimitProblems { get; set; } = [];

    /// <summary>What the state file keeps of this service (the exit keeper only while the main process is alive).</summary>
    public SavedService Save() => new(Runtime)
    {
        UserFlags = UserFlags,
        Runs = [.. Runs],
        LastStartAttempt = LastStartAttempt,
        Cron = Cron,
        KeeperPid = MainAlive ? KeeperPid : null,
        KeeperStartTicks = MainAlive ? KeeperStartTicks : null,
    };

    /// <summary>Takes over what a previous daemon saved; the runtime's deadline is recomputed by the caller.</summary>
    public void Restore(SavedService saved)
    {
        Runtime = saved.Runtime with { Deadline = null };
        UserFlags = saved.UserFlags;
        foreach (RunRecord run in saved.Runs) AddRun(run);
        LastStartAttempt = saved.LastStartAttempt;
        Cron = saved.Cron;
        (KeeperPid, KeeperStartTicks) = (saved.KeeperPid, saved.KeeperStartTicks);
    }

    public void AddRun(RunRecord run)
    {
        Runs.Add(run);
        if (Runs.Count > MaxRuns) Runs.RemoveRange(0, Runs.Count - MaxRuns);
    }
}

/// <summary>A caller waiting until <see cref="Done"/> holds for a service's runtime, or the request is refused.</summary>
internal sealed class StateWaiter(Func<ServiceRuntime, bool> done)
{
    public Func<ServiceRuntime, bool> Done { get; } = done;

    public TaskCompletionSource<ServiceOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>How a request for one service ended: its state then, and the refusal or failure text if any.</summary>
internal sealed record ServiceOutcome(string Service, ServiceRuntime Runtime, string? Error)
{
    public bool Ok => Error is null;
}
