using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// What the RPC surface (unix socket and web console) asks of the supervisor. The supervision loop implements it by
/// posting to its inbox and awaiting the reply; tests use a fake. Arguments are already validated by
/// <see cref="RpcMethods"/>: names match the service-name grammar (or are <c>all</c> where allowed), flags are at most
/// 100, trimmed, lower-cased, of <c>a-z 0-9 _ . : -</c>, 1-50 bytes and distinct, counts are in range. Every mutating
/// call names <paramref name="caller"/> in its events (<see cref="RpcCaller.Display"/>).
/// <para>
/// Errors: throw <see cref="RpcException"/> with a code of <see cref="ProcessMaster.Protocol.JsonRpc.RpcErrorCodes"/>
/// and a message an operator can act on (STYLE §8). Anything else thrown becomes an internal error (-32603).
/// Cancellation: <paramref name="cancellationToken"/> fires when the client disconnects or the daemon stops; an
/// action already handed to the loop should still complete.
/// </para>
/// </summary>
internal interface ISupervisorApi
{
    /// <summary><c>status</c>: one service, or every service sorted by name when <paramref name="name"/> is null or <c>all</c>. Unknown name: <c>UnknownService</c> "unknown service: NAME". <paramref name="resources"/>: read the resource counters too.</summary>
    Task<StatusResult> StatusAsync(string? name, bool resources, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>events</c>: the last <paramref name="count"/> (0..2000) events, oldest first, only <paramref name="name"/>'s when given.</summary>
    Task<EventsResult> EventsAsync(string? name, int count, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>logs</c>: the last <paramref name="lines"/> lines of each of the service's log files.</summary>
    Task<LogsResult> LogsAsync(string name, int lines, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary>
    /// <c>logs_follow</c>: validate (unknown service, no matching files → throw), then return the backlog and the live
    /// lines. The RPC layer enumerates <see cref="LogFollowSession.Lines"/> once, never blocks it (a slow client's
    /// lines are dropped and counted), and disposes the session when the client leaves.
    /// </summary>
    Task<LogFollowSession> FollowLogsAsync(string? name, string? file, int lines, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>start</c>: a service, a job (run once) or <c>all</c>. Any failed target: throw <c>OperationFailed</c> with every target's line.</summary>
    Task<ServiceActionResult> StartAsync(string target, bool force, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>stop</c>: a service, a job run or <c>all</c>. <paramref name="force"/> (or a second stop while one is
    /// waiting out its grace period) does not wait: <c>cgroup.kill</c> now.</summary>
    Task<ServiceActionResult> StopAsync(string target, bool force, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>restart</c>: a service or <c>all</c>.</summary>
    Task<ServiceActionResult> RestartAsync(string target, bool force, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>update</c>: reload service definitions. A definition that does not load is reported in the result (<see cref="UpdateResult.Applied"/> false), not thrown.
    /// With <paramref name="master"/>, the master configuration is read again first: the keys that can change live are
    /// applied, the others named (<see cref="UpdateResult.RestartRequired"/>); one with a problem changes nothing.</summary>
    Task<UpdateResult> UpdateAsync(bool master, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>log_reopen</c>: close and reopen the daemon log at its path (after an external logrotate). Fails with <c>OperationFailed</c> naming why.</summary>
    Task<LogReopenResult> LogReopenAsync(RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>enable</c> / <c>disable</c>: rewrite <c>global.enabled</c> in the definition.</summary>
    Task<EnableResult> SetEnabledAsync(string name, bool enabled, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>flag</c>: set user flags on a service or <c>all</c>, each expiring after <paramref name="ttl"/> (unparsed, e.g. <c>1h</c>; null = never). A bad TTL: <c>InvalidParams</c>.</summary>
    Task<FlagResult> FlagAsync(string name, IReadOnlyList<string> flags, string? ttl, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>unflag</c>: remove user flags from a service or <c>all</c>; absent ones are ignored.</summary>
    Task<FlagResult> UnflagAsync(string name, IReadOnlyList<string> flags, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>admin_list</c>: configured admin actions sorted by id.</summary>
    Task<AdminListResult> AdminListAsync(RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>admin_run</c>: spawn an admin action (fire and forget). Not configured: <c>Refused</c>; not root: <c>NotPermitted</c>.</summary>
    Task<AdminRunResult> AdminRunAsync(string id, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>admin_ps</c>: PIDs in the admin-actions cgroup.</summary>
    Task<AdminPsResult> AdminPsAsync(RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>admin_kill</c>: <c>cgroup.kill</c> the admin-actions cgroup.</summary>
    Task<AdminKillResult> AdminKillAsync(RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>perf_metrics</c>: one snapshot of the service's cgroup statistics.</summary>
    Task<PerfMetricsResult> PerfMetricsAsync(string name, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary>
    /// <c>shutdown</c>: begin shutting down and return at once (the reply is sent before the connections close);
    /// stop every service first when <paramref name="stopServices"/>.
    /// </summary>
    Task<ShutdownResult> ShutdownAsync(bool stopServices, RpcCaller caller, CancellationToken cancellationToken);

    /// <summary><c>metrics</c>: the Prometheus text exposition. Not served by default (a fake supervisor).</summary>
    Task<MetricsResult> MetricsAsync(RpcCaller caller, CancellationToken cancellationToken) =>
        throw new RpcException(ProcessMaster.Protocol.JsonRpc.RpcErrorCodes.MethodNotFound, "metrics are not served here");

    /// <summary>Where <see cref="RpcMethods"/> counts and times the calls (null: not counted).</summary>
    RpcStatistics? Statistics => null;
}
