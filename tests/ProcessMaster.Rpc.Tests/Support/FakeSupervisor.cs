using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Rpc.Tests.Support;

/// <summary>An in-memory supervisor: two services (web running, nightly job), records every call.</summary>
internal sealed class FakeSupervisor : ISupervisorApi
{
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Live log lines handed to followers.</summary>
    public Channel<LogLineNotification> LiveLines { get; } = Channel.CreateUnbounded<LogLineNotification>();

    /// <summary>Set when a follow session was disposed.</summary>
    public TaskCompletionSource FollowClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Problems the next <c>update</c> reports (a definition that did not load).</summary>
    public IReadOnlyList<string> UpdateProblems { get; set; } = [];

    /// <summary>Events after the two built-in ones (tests put hostile text here).</summary>
    public List<EventEntry> ExtraEvents { get; } = [];

    /// <summary>User flags of <c>web</c> in status (tests put hostile text here).</summary>
    public IReadOnlyList<string> WebUserFlags { get; set; } = ["maint"];

    /// <summary>Holds every status call until released (for concurrency tests); null = answer at once.</summary>
    public TaskCompletionSource? StatusGate { get; set; }

    public static StatusEntry Web { get; } = new()
    {
        Application = "web", Enabled = true, Running = true, Actual = ActualState.Running, Phase = ServicePhase.Running,
        Restarts10m = 0, SystemFlags = ["user_start"], UserFlags = ["maint"], Pids = [4242, 4250], PidUptimesMs = [3_721_000, 3_660_000],
        WorkingDirectory = "/srv/web", SourceFile = "/etc/pm/conf.d/web.yaml", LastRunAtMs = 1_735_786_945_678,
        Kind = ServiceKindName.Service, State = DetailedState.Running, MainPid = 4242,
    };

    public static StatusEntry Nightly { get; } = new()
    {
        Application = "nightly", Enabled = true, Running = false, Actual = ActualState.Stopped, Phase = ServicePhase.Stopped,
        SystemFlags = ["exit_ok", "dummy1"], WorkingDirectory = "/srv/nightly", ProvisioningDefined = true,
        ProvisioningMarker = "/srv/nightly/.pm_provisioned", ProvisioningMarkerExists = true, SourceFile = "/etc/pm/conf.d/nightly.yaml",
        LastRunAtMs = 1_735_790_400_012, LastExitCode = 0, Schedule = "0 4 * * *", Kind = ServiceKindName.Job, State = DetailedState.Idle,
    };

    private static readonly string[] Known = ["nightly", "web"];

    private void Record(string call) => Calls.Enqueue(call);

    private static void Require(string name)
    {
        if (!Known.Contains(name)) throw RpcException.UnknownService(name);
    }

    public async Task<StatusResult> StatusAsync(string? name, bool resources, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record(resources ? $"status {name} resources" : $"status {name}");
        if (StatusGate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        StatusEntry web = Web with { UserFlags = WebUserFlags };
        if (name is null) return new StatusResult { Statuses = [Nightly, web] };
        Require(name);
        return new StatusResult { Statuses = [name == "web" ? web : Nightly] };
    }

    public Task<EventsResult> EventsAsync(string? name, int count, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record($"events {name} {count}");
        EventEntry[] all =
        [
            new() { Ts = "2025-01-02_03:04:05.678", Component = "cmd", App = "web", Message = "attempt=set_desired desired=RUNNING force=false", Seq = 1 },
            new() { Ts = "2025-01-02_03:04:06.000", Component = "boot", Message = "started", Seq = 2 },
        ];
        return Task.FromResult(new EventsResult { Events = [.. all.Concat(ExtraEvents).Where(e => name is null || e.App == name).TakeLast(count)] });
    }

    public Task<LogsResult> LogsAsync(string name, int lines, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record($"logs {name} {lines}");
        Require(name);
        return Task.FromResult(new LogsResult { Files = [new LogFileTail { Path = $"/srv/{name}/stdout.log", App = name, Lines = ["one\ttab \u001b[1mbold", "two"] }] });
    }

    public Task<LogFollowSession> FollowLogsAsync(string? name, string? file, int lines, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record($"follow {name} {file} {lines}");
        if (name is not null) Require(name);
        if (file == "none.log") return Task.FromResult(new LogFollowSession(new LogsFollowResult(), Empty()));
        var backlog = new LogsFollowResult { Files = [new LogFileTail { Path = "/srv/web/stdout.log", App = "web", Lines = ["old"] }] };
        return Task.FromResult(new LogFollowSession(backlog, Live(CancellationToken.None), () =>
        {
            FollowClosed.TrySetResult();
            return ValueTask.CompletedTask;
        }));
    }

    private static async IAsyncEnumerable<LogLineNotification> Empty()
    {
        await Task.CompletedTask;
        yield break;
    }

    private async IAsyncEnumerable<LogLineNotification> Live([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (LogLineNotification line in LiveLines.Reader.ReadAllAsync(cancellationToken)) yield return line;
    }

    public Task<ServiceActionResult> StartAsync(string target, bool force, RpcCaller caller, CancellationToken cancellationToken) =>
        Action("start", target, force, "started (RUNNING)");

    public Task<ServiceActionResult> StopAsync(string target, bool force, RpcCaller caller, CancellationToken cancellationToken) =>
        Action("stop", target, force, "stopped (STOPPED)");

    public Task<ServiceActionResult> RestartAsync(string target, bool force, RpcCaller caller, CancellationToken cancellationToken) =>
        Action("restart", target, force, "restarted (RUNNING)");

    private Task<ServiceActionResult> Action(string verb, string target, bool force, string text)
    {
        Record($"{verb} {target} force={force}");
        if (target == "broken") throw new RpcException(RpcErrorCodes.OperationFailed, "broken: spawn failed: /bin/nope: No such file or directory (ENOENT); fix process.command");
        if (target == "throws") throw new InvalidOperationException("boom");
        if (target == "hostile") throw new RpcException(RpcErrorCodes.OperationFailed, "hostile: \u001b[2Jspawn failed\r\nsecond line");
        string[] targets = target == "all" ? Known : [target];
        if (target != "all") Require(target);
        TargetOutcome[] outcomes = [.. targets.Select(t => new TargetOutcome { Name = t, Ok = true, Message = $"{t}: {text}" })];
        return Task.FromResult(new ServiceActionResult { Message = string.Join('\n', outcomes.Select(o => o.Message)), Targets = outcomes });
    }

    public Task<LogReopenResult> LogReopenAsync(RpcCaller caller, CancellationToken cancellationToken)
    {
        Record("log_reopen");
        return Task.FromResult(new LogReopenResult { Path = "/var/log/processmaster.log", Message = "daemon log reopened: /var/log/processmaster.log" });
    }

    public Task<UpdateResult> UpdateAsync(bool master, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record(master ? "update master" : "update");
        return Task.FromResult(new UpdateResult
        {
            Message = $"updated: 0 added, 2 modified (nightly,web), 0 removed, 0 kept as last good, {UpdateProblems.Count} problems",
            Restarted = ["web", "nightly"],
            Warnings = UpdateProblems,
            Applied = UpdateProblems.Count == 0,
        });
    }

    public Task<EnableResult> SetEnabledAsync(string name, bool enabled, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record($"enabled {name} {enabled}");
        Require(name);
        return Task.FromResult(new EnableResult { Name = name, Enabled = enabled, Message = $"{(enabled ? "enabled" : "disabled")} {name}" });
    }

    public Task<FlagResult> FlagAsync(string name, IReadOnlyList<string> flags, string? ttl, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record($"flag {name} [{string.Join(',', flags)}] ttl={ttl}");
        if (ttl == "10") throw RpcException.InvalidParams("flag", "ttl: missing unit after 10");
        string[] sorted = [.. flags.Order(StringComparer.Ordinal)];
        return Task.FromResult(new FlagResult { Name = name, Flags = sorted, Message = $"{name}: flags={string.Join(',', sorted)}" });
    }

    public Task<FlagResult> UnflagAsync(string name, IReadOnlyList<string> flags, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record($"unflag {name} [{string.Join(',', flags)}]");
        return Task.FromResult(new FlagResult { Name = name, Message = $"{name}: flags=" });
    }

    public Task<AdminListResult> AdminListAsync(RpcCaller caller, CancellationToken cancellationToken)
    {
        Record("admin_list");
        return Task.FromResult(new AdminListResult { AdminActions = [new AdminActionInfo { Name = "update-pm", Label = "Update ProcessMaster" }] });
    }

    public Task<AdminRunResult> AdminRunAsync(string id, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record($"admin_run {id}");
        if (id != "update-pm") throw new RpcException(RpcErrorCodes.Refused, $"admin_action \"{id}\" is not configured in the main config (admin_actions)");
        return Task.FromResult(new AdminRunResult { Id = id, Pid = 12345, Message = $"admin_action {id} spawned pid=12345" });
    }

    public Task<AdminPsResult> AdminPsAsync(RpcCaller caller, CancellationToken cancellationToken) =>
        Task.FromResult(new AdminPsResult { Message = "(none)" });

    public Task<AdminKillResult> AdminKillAsync(RpcCaller caller, CancellationToken cancellationToken) =>
        Task.FromResult(new AdminKillResult { Message = "killed admin actions via cgroup.kill (pids_before=0)" });

    public Task<PerfMetricsResult> PerfMetricsAsync(string name, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record($"perf {name}");
        Require(name);
        long now = Environment.TickCount64;
        return Task.FromResult(new PerfMetricsResult
        {
            App = name, CgroupDir = $"/sys/fs/cgroup/pm/{name}", SampledAtMs = now,
            CpuStat = new Dictionary<string, long> { ["usage_usec"] = now * 100, ["user_usec"] = 1, ["system_usec"] = 2 },
            CpuMax = "50000 100000", MemoryCurrent = 12_900_000, MemoryPeak = 20_000_000, MemoryMax = "max",
            CpuPressure = new PressureInfo { Some = new PressureValues { Avg10 = 1.5 } },
            OomKills = 3,
        });
    }

    /// <summary>Runs inside <c>shutdown</c> before it answers (as the daemon begins closing the server meanwhile).</summary>
    public Func<Task>? DuringShutdown { get; set; }

    public async Task<ShutdownResult> ShutdownAsync(bool stopServices, RpcCaller caller, CancellationToken cancellationToken)
    {
        Record($"shutdown {stopServices}");
        if (DuringShutdown is { } during) await during();
        return new ShutdownResult { StopServices = stopServices, Message = stopServices ? "shutting down; stopping every service first" : "shutting down; services keep running" };
    }
}
