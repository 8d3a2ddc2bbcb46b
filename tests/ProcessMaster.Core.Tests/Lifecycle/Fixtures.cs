using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Tests.Lifecycle;

/// <summary>Named runtimes (reached by real transitions), policies and inputs for table-driven tests.</summary>
internal static class Fixtures
{
    public static readonly Moment T0 = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(1000));

    public const int MainPid = 4242;

    public static readonly IReadOnlyDictionary<string, ServicePolicy> Policies = new Dictionary<string, ServicePolicy>
    {
        ["service"] = ServicePolicy.Default,
        ["never"] = ServicePolicy.Default with { Restart = RestartPolicy.Never },
        ["stopcmd"] = ServicePolicy.Default with { HasStopCommand = true },
        ["disabled"] = ServicePolicy.Default with { Enabled = false },
        ["job"] = new ServicePolicy { Kind = ServiceKind.Job },
        ["job-ot"] = new ServicePolicy { Kind = ServiceKind.Job, MaxRunTime = TimeSpan.FromSeconds(10) },
        ["job-disabled"] = new ServicePolicy { Kind = ServiceKind.Job, Enabled = false },
    };

    private static readonly ServiceInput Spawn = new Spawned(MainPid);
    private static readonly ServiceInput Exit1 = new MainExited(MainPid, ExitStatus.Exited(1));
    private static readonly ServiceInput Exit0 = new MainExited(MainPid, ExitStatus.Exited(0));

    /// <summary>Input sequences (from a fresh runtime) that reach each named runtime.</summary>
    public static readonly IReadOnlyDictionary<string, ServiceInput[]> Paths = new Dictionary<string, ServiceInput[]>
    {
        ["Stopped"] = [],
        ["Stopped/down"] = [Op.Stop],
        ["Starting"] = [Op.Start, new SpawnIssued()],
        ["Starting/queued"] = [Op.Start],
        ["Starting/stop-pending"] = [Op.Start, Op.Stop],
        ["Running"] = [Op.Start, Spawn],
        ["Running/main-exited"] = [Op.Start, Spawn, Exit0],
        ["Stopping"] = [Op.Start, Spawn, Op.Stop],
        ["Stopping/start-pending"] = [Op.Start, Spawn, Op.Restart],
        ["Killing"] = [Op.Start, Spawn, Op.Stop, new DeadlineReached()],
        ["Backoff"] = [Op.Start, Spawn, Exit1, new CgroupEmptied()],
        ["Failed"] = [Op.Start, Spawn, Exit1, new CgroupEmptied(), Op.Stop, Op.Start, new SpawnFailed("x"), new DeadlineReached(),
            new SpawnFailed("x"), new DeadlineReached(), new SpawnFailed("x"), new DeadlineReached(), new SpawnFailed("x")],
        ["Idle"] = [],
        ["Idle/after-run"] = [Sched.Start, Spawn, Exit0, new CgroupEmptied()],
        ["JobStarting"] = [Sched.Start, new SpawnIssued()],
        ["JobRunning"] = [Sched.Start, Spawn],
        ["JobStopping"] = [Sched.Start, Spawn, Op.Stop],
        ["JobKilling"] = [Sched.Start, Spawn, Op.Stop, new DeadlineReached()],
    };

    /// <summary>Every input variant the totality test feeds to every runtime.</summary>
    public static readonly IReadOnlyDictionary<string, ServiceInput> Inputs = new Dictionary<string, ServiceInput>
    {
        ["Start(Op)"] = Op.Start,
        ["Start(Op,force)"] = new StartRequested(Requester.Operator, Force: true),
        ["Start(Sys)"] = new StartRequested(Requester.System),
        ["Start(Sched)"] = Sched.Start,
        ["Stop(Op)"] = Op.Stop,
        ["Stop(Op,force)"] = new StopRequested(Requester.Operator, Force: true),
        ["Stop(Sys)"] = new StopRequested(Requester.System),
        ["Restart(Op)"] = Op.Restart,
        ["Restart(Sys)"] = new RestartRequested(Requester.System),
        ["SpawnIssued"] = new SpawnIssued(),
        ["Spawned"] = new Spawned(MainPid + 1),
        ["SpawnFailed"] = new SpawnFailed("/bin/app: Permission denied (EACCES)", 13),
        ["MainExited(0)"] = Exit0,
        ["MainExited(1)"] = Exit1,
        ["MainExited(other)"] = new MainExited(1, ExitStatus.Killed(9)),
        ["CgroupPopulated"] = new CgroupPopulated(),
        ["CgroupEmptied"] = new CgroupEmptied(),
        ["DeadlineReached"] = new DeadlineReached(),
        ["StopCommandFinished(0)"] = new StopCommandFinished(0),
        ["StopCommandFinished(3)"] = new StopCommandFinished(3),
        ["StopCommandFinished(err)"] = new StopCommandFinished(null, "stop.sh: No such file or directory (ENOENT)"),
        ["Adopted"] = new Adopted([MainPid, MainPid + 7]),
        ["Adopted(other)"] = new Adopted([77]),
        ["Adopted(empty)"] = new Adopted([]),
        ["Reload(Unchanged)"] = new DefinitionReloaded(DefinitionChange.Unchanged),
        ["Reload(Modified)"] = new DefinitionReloaded(DefinitionChange.Modified),
        ["Reload(KeptLastGood)"] = new DefinitionReloaded(DefinitionChange.KeptLastGood),
        ["Removed"] = new DefinitionRemoved(),
    };

    public static bool IsJobFixture(string name) => name.StartsWith("Job", StringComparison.Ordinal) || name.StartsWith("Idle", StringComparison.Ordinal);

    /// <summary>Builds a named runtime by feeding its path, 1 s apart (DeadlineReached jumps to the deadline).</summary>
    public static (ServiceRuntime Runtime, Moment Now) Build(string name, ServicePolicy? build = null)
    {
        var policy = build ?? (IsJobFixture(name) ? Policies["job"] : ServicePolicy.Default);
        var now = T0;
        var s = ServiceRuntime.New(policy.Kind, now);
        foreach (var input in Paths[name])
        {
            now = now.Add(TimeSpan.FromSeconds(1));
            if (input is DeadlineReached && s.Deadline is { } due && due > now.Mono) now = now.Add(due - now.Mono);
            s = ServiceLifecycle.Decide(s, input, now, policy).Next;
        }
        return (s, now);
    }

    public static class Op
    {
        public static readonly ServiceInput Start = new StartRequested(Requester.Operator);
        public static readonly ServiceInput Stop = new StopRequested(Requester.Operator);
        public static readonly ServiceInput Restart = new RestartRequested(Requester.Operator);
    }

    public static class Sched
    {
        public static readonly ServiceInput Start = new StartRequested(Requester.Schedule);
    }

    /// <summary>Effects as short strings (Publish omitted, refusals as "Refused").</summary>
    public static string Describe(Transition t) => string.Join(",", t.Effects.Select(e => e switch
    {
        SendSignal s => $"SendSignal({s.Signal.Number})",
        Publish { Event: RequestRefused } => "Refused",
        Publish => null,
        _ => e.GetType().Name,
    }).Where(x => x is not null));

    public static FlagSet<SystemFlag> FlagsOf(params SystemFlag[] flags) =>
        flags.Aggregate(FlagSet<SystemFlag>.Empty, (set, f) => set.Set(f));
}
