using ProcessMaster.Core.Cron;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;

namespace ProcessMaster.Daemon.Persistence;

/// <summary>
/// What the state file keeps of one service, in domain types: its runtime, user flags, job runs, last start
/// attempt, cron progress and the exit keeper of a main process still alive. <see cref="RuntimeMapping"/> turns it
/// into the file's records and back; the loop takes it from and gives it to a service's slot whole.
/// </summary>
internal sealed record SavedService(ServiceRuntime Runtime)
{
    public FlagSet<string> UserFlags { get; init; } = FlagSet<string>.Empty;

    /// <summary>The last job runs, oldest first.</summary>
    public IReadOnlyList<RunRecord> Runs { get; init; } = [];

    public DateTimeOffset? LastStartAttempt { get; init; }

    /// <summary>The cron planner's progress (null: never planned).</summary>
    public CronState? Cron { get; init; }

    /// <summary>The exit keeper of the main process and its start time (both null unless the main process is alive).</summary>
    public int? KeeperPid { get; init; }

    public long? KeeperStartTicks { get; init; }
}
