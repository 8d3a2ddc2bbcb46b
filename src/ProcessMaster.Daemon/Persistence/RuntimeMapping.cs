using ProcessMaster.Core.Cron;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Daemon.Persistence;

/// <summary>Between what the loop keeps of a service (<see cref="SavedService"/>) and the state file.</summary>
internal static class RuntimeMapping
{
    public static PersistedService ToPersisted(SavedService saved)
    {
        ServiceRuntime r = saved.Runtime;
        return new PersistedService
        {
            State = r.State,
            Desired = r.Desired,
            Since = Save(r.Since),
            Populated = r.Populated,
            MainPid = r.MainPid,
            StartedAt = r.StartedAt is { } started ? Save(started) : null,
            LastExitCode = r.LastExit?.Code,
            LastExitSignal = r.LastExit?.Signal,
            Result = r.Result,
            Detail = r.Detail,
            StartedBy = r.StartedBy,
            IsRestart = r.IsRestart,
            PendingKind = r.Pending?.Kind,
            PendingBy = r.Pending?.By,
            StopCause = r.StopCause,
            Crashes = [.. r.History.Crashes.Select(Save)],
            SystemFlags = r.Flags.ToDictionary(f => SystemFlags.Name(f.Key), f => Ms(f.Value), StringComparer.Ordinal),
            UserFlags = saved.UserFlags.ToDictionary(f => f.Key, f => Ms(f.Value), StringComparer.Ordinal),
            LastStartAttemptMs = saved.LastStartAttempt?.ToUnixTimeMilliseconds(),
            CronHandledUpToMs = saved.Cron?.HandledUpTo.ToUnixTimeMilliseconds(),
            CronLastFiredMs = saved.Cron?.LastFired?.ToUnixTimeMilliseconds(),
            KeeperPid = saved.KeeperPid,
            KeeperStartTicks = saved.KeeperStartTicks,
            Runs = [.. saved.Runs.Select(Save)],
        };
    }

    /// <summary>
    /// What a restored service resumes with. On another boot the monotonic clock restarted: every stored
    /// monotonic time is rebased so that it lies as far in the past as its wall time does.
    /// </summary>
    public static SavedService Restore(PersistedService p, Moment now, bool sameBoot)
    {
        Moment Load(PersistedMoment m) => sameBoot
            ? new Moment(DateTimeOffset.FromUnixTimeMilliseconds(m.WallMs), TimeSpan.FromTicks(m.MonoTicks))
            : Rebased(m, now);

        var systemFlags = FlagSet<SystemFlag>.Empty;
        foreach (var (name, expiry) in p.SystemFlags)
            if (SystemFlags.TryParse(name, out SystemFlag flag)) systemFlags = systemFlags.Set(flag, At(expiry));
        var runtime = new ServiceRuntime
        {
            State = p.State,
            Desired = p.Desired,
            Since = Load(p.Since),
            // A spawn the last daemon left in flight never reports to this one: its start timeout counts from the
            // state's entry, and ends the wait (as it did before spawns were queued).
            SpawnIssuedAt = p.State == ServiceState.Starting ? Load(p.Since) : null,
            Populated = p.Populated,
            MainPid = p.MainPid,
            StartedAt = p.StartedAt is { } started ? Load(started) : null,
            LastExit = Exit(p.LastExitCode, p.LastExitSignal),
            Result = p.Result,
            Detail = p.Detail,
            StartedBy = p.StartedBy,
            IsRestart = p.IsRestart,
            Pending = p.PendingKind is { } kind && p.PendingBy is { } by ? new PendingRequest(kind, by) : null,
            StopCause = p.StopCause,
            History = RestartHistory.From(p.Crashes.Select(Load)),
            Flags = systemFlags,
        };
        return new SavedService(runtime)
        {
            UserFlags = UserFlags.Restore(p.UserFlags.Select(f => new KeyValuePair<string, DateTimeOffset?>(f.Key, At(f.Value))), now.Wall),
            Runs = [.. p.Runs.Select(r => new RunRecord(Load(r.Started), Load(r.Ended), r.Result, Exit(r.ExitCode, r.ExitSignal), r.Detail))],
            LastStartAttempt = At(p.LastStartAttemptMs),
            Cron = p.CronHandledUpToMs is { } handled ? new CronState(DateTimeOffset.FromUnixTimeMilliseconds(handled), At(p.CronLastFiredMs)) : null,
            KeeperPid = p.KeeperPid,
            KeeperStartTicks = p.KeeperStartTicks,
        };
    }

    private static PersistedMoment Save(Moment m) => new() { WallMs = m.Wall.ToUnixTimeMilliseconds(), MonoTicks = m.Mono.Ticks };

    private static PersistedRun Save(RunRecord run) => new()
    {
        Started = Save(run.Started),
        Ended = Save(run.Ended),
        Result = run.Result,
        ExitCode = run.Exit?.Code,
        ExitSignal = run.Exit?.Signal,
        Detail = run.Detail,
    };

    private static Moment Rebased(PersistedMoment m, Moment now)
    {
        var wall = DateTimeOffset.FromUnixTimeMilliseconds(m.WallMs);
        TimeSpan ago = now.Wall - wall;
        return new Moment(wall, now.Mono - (ago < TimeSpan.Zero ? TimeSpan.Zero : ago));
    }

    private static ExitStatus? Exit(int? code, int? signal) => code is null && signal is null ? null : new ExitStatus(code, signal);

    private static long? Ms(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
