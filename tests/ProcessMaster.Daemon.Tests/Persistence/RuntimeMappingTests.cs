using System.Text.Json;
using ProcessMaster.Core.Cron;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Time;
using ProcessMaster.Daemon.Persistence;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Daemon.Tests.Support;

namespace ProcessMaster.Daemon.Tests.Persistence;

/// <summary>
/// What a daemon restart keeps of a service: the loop's runtime record through the state file's JSON and back,
/// on the same boot (times as they were) and on another (monotonic times rebased onto the new boot's clock).
/// </summary>
public sealed class RuntimeMappingTests
{
    private static readonly DateTimeOffset Wall = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly Moment SavedAt = new(Wall, TimeSpan.FromHours(5));

    [Fact]
    public void Restore_SameBoot_GivesBackEveryPersistedField()
    {
        ServiceSlot slot = RunningSlot();

        ServiceRuntime restored = RoundTrip(slot, SavedAt.Add(TimeSpan.FromMinutes(1)), sameBoot: true,
            out FlagSet<string> userFlags, out IReadOnlyList<RunRecord> runs, out PersistedService persisted);

        Assert.Equal(slot.Runtime with { Deadline = null }, restored);
        Assert.Equal(slot.UserFlags, userFlags);
        Assert.Equal(slot.Runs, runs);
        Assert.Equal(slot.LastStartAttempt?.ToUnixTimeMilliseconds(), persisted.LastStartAttemptMs);
        Assert.Equal(slot.Cron!.HandledUpTo.ToUnixTimeMilliseconds(), persisted.CronHandledUpToMs);
        Assert.Equal(slot.Cron.LastFired?.ToUnixTimeMilliseconds(), persisted.CronLastFiredMs);
        Assert.Equal((4242, 777L), (persisted.KeeperPid, persisted.KeeperStartTicks));
    }

    [Fact]
    public void Restore_OtherBoot_RebasesMonotonicTimesByTheirWallAge()
    {
        ServiceSlot slot = RunningSlot();
        // The host rebooted 30 minutes after the save: the new boot's monotonic clock reads 2 minutes.
        var now = new Moment(Wall + TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(2));

        ServiceRuntime restored = RoundTrip(slot, now, sameBoot: false, out _, out IReadOnlyList<RunRecord> runs, out _);

        // Each moment lies as far in the past on the new monotonic clock as its wall time does (and may go negative).
        Assert.Equal(slot.Runtime.Since.Wall, restored.Since.Wall);
        Assert.Equal(now.Mono - (now.Wall - slot.Runtime.Since.Wall), restored.Since.Mono);
        Assert.Equal(now.Mono - (now.Wall - slot.Runtime.StartedAt!.Value.Wall), restored.StartedAt!.Value.Mono);
        Assert.Equal(slot.Runtime.History.Crashes.Select(c => now.Mono - (now.Wall - c.Wall)), restored.History.Crashes.Select(c => c.Mono));
        Assert.Equal(now.Mono - (now.Wall - slot.Runs[0].Ended.Wall), runs[0].Ended.Mono);
    }

    [Fact]
    public void Restore_OtherBootWithWallTimeAhead_ClampsToNow()
    {
        ServiceSlot slot = RunningSlot();
        // The wall clock went back (or the saved one ran ahead): a saved time "in the future" is taken as now, never later.
        var now = new Moment(Wall - TimeSpan.FromDays(1), TimeSpan.FromMinutes(2));

        ServiceRuntime restored = RoundTrip(slot, now, sameBoot: false, out _, out _, out _);

        Assert.Equal(now.Mono, restored.Since.Mono);
        Assert.All(restored.History.Crashes, c => Assert.Equal(now.Mono, c.Mono));
    }

    [Fact]
    public void Restore_ExpiredUserFlag_IsDropped_AndUnexpiredOnesStay()
    {
        ServiceSlot slot = RunningSlot();
        var now = SavedAt.Add(TimeSpan.FromHours(2)); // "maintenance" expired after one hour

        RoundTrip(slot, now, sameBoot: true, out FlagSet<string> userFlags, out _, out _);

        Assert.Equal(["pinned", "weekend"], userFlags.Names.Order(StringComparer.Ordinal));
        Assert.True(userFlags.TryGetExpiry("weekend", out DateTimeOffset? expiry));
        Assert.Equal(Wall + TimeSpan.FromDays(2), expiry);
    }

    [Fact]
    public void Restore_UnknownSystemFlagName_IsIgnored()
    {
        PersistedService persisted = RuntimeMapping.ToPersisted(RunningSlot());
        persisted.SystemFlags["from_a_newer_daemon"] = null;

        ServiceRuntime restored = RuntimeMapping.Restore(persisted, SavedAt, sameBoot: true, out _, out _);

        Assert.Equal([SystemFlag.Backoff, SystemFlag.UserStart], restored.Flags.Names.Order());
    }

    [Fact]
    public void ToPersisted_MainNotAlive_DropsTheKeeper()
    {
        ServiceSlot slot = RunningSlot();
        slot.MainAlive = false;

        PersistedService persisted = RuntimeMapping.ToPersisted(slot);

        // A keeper whose main process has been reported gone must not be trusted by the next daemon.
        Assert.Null(persisted.KeeperPid);
        Assert.Null(persisted.KeeperStartTicks);
    }

    [Fact]
    public void Restore_NoExitAndNoPending_StayNull()
    {
        ServiceSlot slot = Definitions.Slot(Definitions.Service("idle"), SavedAt);

        ServiceRuntime restored = RoundTrip(slot, SavedAt, sameBoot: true, out FlagSet<string> userFlags, out IReadOnlyList<RunRecord> runs, out PersistedService persisted);

        Assert.Equal(slot.Runtime, restored);
        Assert.Null(restored.LastExit);
        Assert.Null(restored.Pending);
        Assert.Empty(userFlags);
        Assert.Empty(runs);
        Assert.Null(persisted.CronHandledUpToMs);
    }

    /// <summary>To the state file's JSON and back, as a daemon restart does.</summary>
    private static ServiceRuntime RoundTrip(ServiceSlot slot, Moment now, bool sameBoot, out FlagSet<string> userFlags,
        out IReadOnlyList<RunRecord> runs, out PersistedService persisted)
    {
        var state = new PersistedState { BootId = "boot-1", SavedAtMs = Wall.ToUnixTimeMilliseconds() };
        state.Services[slot.Name] = RuntimeMapping.ToPersisted(slot);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(state, PersistenceJsonContext.Default.PersistedState);
        PersistedState read = JsonSerializer.Deserialize(json, PersistenceJsonContext.Default.PersistedState)!;
        persisted = read.Services[slot.Name];
        return RuntimeMapping.Restore(persisted, now, sameBoot, out userFlags, out runs);
    }

    /// <summary>A service with every persisted field set (times on whole milliseconds: the file keeps milliseconds).</summary>
    private static ServiceSlot RunningSlot()
    {
        ServiceSlot slot = Definitions.Slot(Definitions.Service("web"), SavedAt);
        Moment started = SavedAt.Add(TimeSpan.FromMinutes(-3));
        slot.Runtime = slot.Runtime with
        {
            State = ServiceState.Running,
            Desired = Desired.Up,
            Since = SavedAt.Add(TimeSpan.FromMinutes(-2)),
            Populated = true,
            MainPid = 4321,
            StartedAt = started,
            LastExit = ExitStatus.Killed(9),
            Result = ServiceResult.Signal,
            Detail = "killed by signal 9; restarted",
            StartedBy = Requester.Operator,
            IsRestart = true,
            Pending = new PendingRequest(PendingKind.Stop, Requester.Schedule),
            StopCause = StopCause.Overtime,
            History = RestartHistory.From([SavedAt.Add(TimeSpan.FromMinutes(-9)), SavedAt.Add(TimeSpan.FromMinutes(-4))]),
            Flags = FlagSet<SystemFlag>.Empty.Set(SystemFlag.Backoff, Wall + TimeSpan.FromMinutes(5)).Set(SystemFlag.UserStart),
            Deadline = null,
        };
        slot.UserFlags = FlagSet<string>.Empty
            .Set("maintenance", Wall + TimeSpan.FromHours(1))
            .Set("weekend", Wall + TimeSpan.FromDays(2))
            .Set("pinned");
        slot.AddRun(new RunRecord(SavedAt.Add(TimeSpan.FromMinutes(-20)), SavedAt.Add(TimeSpan.FromMinutes(-19)), ServiceResult.ExitCode, ExitStatus.Exited(3), "exited with code 3"));
        slot.AddRun(new RunRecord(SavedAt.Add(TimeSpan.FromMinutes(-10)), SavedAt.Add(TimeSpan.FromMinutes(-10)), ServiceResult.Success, ExitStatus.Exited(0), null));
        slot.LastStartAttempt = started.Wall;
        slot.Cron = new CronState(Wall - TimeSpan.FromMinutes(1), Wall - TimeSpan.FromMinutes(10));
        slot.MainAlive = true;
        slot.KeeperPid = 4242;
        slot.KeeperStartTicks = 777;
        return slot;
    }
}
