namespace ProcessMaster.Protocol;

/// <summary>Every JSON-RPC method and server notification name (docs/rpc.md).</summary>
public static class RpcMethodNames
{
    /// <summary>First call on a socket connection: the client's build stamp.</summary>
    public const string Handshake = "handshake";
    /// <summary>Status of one service or all.</summary>
    public const string Status = "status";
    /// <summary>Recent daemon events.</summary>
    public const string Events = "events";
    /// <summary>The last lines of a service's log files.</summary>
    public const string Logs = "logs";
    /// <summary>Tail and then follow log files; lines arrive as <see cref="LogLineNotification"/>.</summary>
    public const string LogsFollow = "logs_follow";
    /// <summary>Start a service, a job (run once) or <c>all</c>.</summary>
    public const string Start = "start";
    /// <summary>Stop a service, a job run or <c>all</c>.</summary>
    public const string Stop = "stop";
    /// <summary>Restart a service or <c>all</c>.</summary>
    public const string Restart = "restart";
    /// <summary>Reload service definitions.</summary>
    public const string Update = "update";
    /// <summary>Set <c>global.enabled: true</c> in a service's definition.</summary>
    public const string Enable = "enable";
    /// <summary>Set <c>global.enabled: false</c> in a service's definition.</summary>
    public const string Disable = "disable";
    /// <summary>Set user flags (optionally with a TTL).</summary>
    public const string Flag = "flag";
    /// <summary>Remove user flags.</summary>
    public const string Unflag = "unflag";
    /// <summary>The configured admin actions.</summary>
    public const string AdminList = "admin_list";
    /// <summary>Run an admin action.</summary>
    public const string AdminRun = "admin_run";
    /// <summary>PIDs in the admin-actions cgroup.</summary>
    public const string AdminPs = "admin_ps";
    /// <summary>Kill everything in the admin-actions cgroup.</summary>
    public const string AdminKill = "admin_kill";
    /// <summary>The daemon's build stamp.</summary>
    public const string ServerVersion = "server_version";
    /// <summary>cgroup resource metrics of one service.</summary>
    public const string PerfMetrics = "perf_metrics";
    /// <summary>Reopen the daemon's own log (after an external logrotate), as SIGUSR1 does.</summary>
    public const string LogReopen = "log_reopen";
    /// <summary>Stop the daemon (services keep running unless asked).</summary>
    public const string Shutdown = "shutdown";
    /// <summary>The Prometheus text exposition (what the console serves at <c>/metrics</c>).</summary>
    public const string Metrics = "metrics";

    /// <summary>Server → client notification: one followed log line.</summary>
    public const string LogLineNotification = "logs_line";
    /// <summary>Server → client notification: lines were dropped because the client read too slowly.</summary>
    public const string LogsDroppedNotification = "logs_dropped";
    /// <summary>Server → client notification: following ended; no more lines come.</summary>
    public const string LogsEndNotification = "logs_end";
}
