using System.Globalization;

namespace ProcessMaster.Linux.Systemd;

/// <summary>
/// What systemd hands a <c>Type=notify</c> service in its environment: <c>NOTIFY_SOCKET</c>, the watchdog
/// (<c>WATCHDOG_USEC</c>, <c>WATCHDOG_PID</c>) and <c>JOURNAL_STREAM</c>. These belong to the daemon alone: they are
/// read once at start and removed from the process environment, so no service (not even one with
/// <c>process.inherit_environment: true</c>) talks to systemd in the daemon's name.
/// </summary>
public sealed record ServiceManagerEnvironment
{
    /// <summary>Where to send notifications (sd_notify(3)).</summary>
    public const string NotifySocketVariable = "NOTIFY_SOCKET";

    /// <summary>Watchdog interval in microseconds (sd_watchdog_enabled(3)).</summary>
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";

    /// <summary>The pid the watchdog applies to; when set and not ours, the watchdog is someone else's.</summary>
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    /// <summary><c>DEVICE:INODE</c> of the stream systemd connected to stdout/stderr (systemd.exec(5)).</summary>
    public const string JournalStreamVariable = "JOURNAL_STREAM";

    /// <summary>Every variable of the service manager's that a service must not inherit from the daemon.</summary>
    public static readonly IReadOnlyList<string> DaemonOnlyVariables =
    [
        NotifySocketVariable, WatchdogUsecVariable, WatchdogPidVariable, JournalStreamVariable,
        "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
    ];

    /// <summary>The unit's invocation id: set for every process systemd starts (systemd.exec(5)); kept for services.</summary>
    public const string InvocationIdVariable = "INVOCATION_ID";

    /// <summary>True when systemd started this process (<c>INVOCATION_ID</c> is set).</summary>
    public bool StartedBySystemd { get; init; }

    /// <summary><c>NOTIFY_SOCKET</c>, or null.</summary>
    public string? NotifySocket { get; init; }

    /// <summary>The watchdog interval, when it applies to this process.</summary>
    public TimeSpan? Watchdog { get; init; }

    /// <summary><c>JOURNAL_STREAM</c>, or null.</summary>
    public string? JournalStream { get; init; }

    /// <summary>Why a watchdog variable was ignored, or null.</summary>
    public string? WatchdogProblem { get; init; }

    /// <summary>Reads the variables through <paramref name="lookup"/> for process <paramref name="pid"/>.</summary>
    public static ServiceManagerEnvironment Read(Func<string, string?> lookup, int pid)
    {
        string? usec = lookup(WatchdogUsecVariable);
        string? watchdogPid = lookup(WatchdogPidVariable);
        TimeSpan? watchdog = null;
        string? problem = null;
        if (usec is not null)
        {
            if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong micros) || micros == 0 || micros > long.MaxValue / 10)
                problem = $"{WatchdogUsecVariable}=\"{usec}\" is not a positive number of microseconds; no watchdog keep-alive is sent";
            else if (watchdogPid is not null && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out int owner) || owner != pid))
                problem = $"{WatchdogPidVariable}={watchdogPid} is not this process ({pid}); no watchdog keep-alive is sent";
            else
                watchdog = TimeSpan.FromTicks((long)micros * 10);
        }
        return new ServiceManagerEnvironment
        {
            StartedBySystemd = !string.IsNullOrEmpty(lookup(InvocationIdVariable)),
            NotifySocket = lookup(NotifySocketVariable),
            Watchdog = watchdog,
            WatchdogProblem = problem,
            JournalStream = lookup(JournalStreamVariable),
        };
    }

    /// <summary>Reads the variables of this process, then removes them from its environment.</summary>
    public static ServiceManagerEnvironment TakeFromProcess()
    {
        ServiceManagerEnvironment read = Read(Environment.GetEnvironmentVariable, Environment.ProcessId);
        foreach (string name in DaemonOnlyVariables) Environment.SetEnvironmentVariable(name, null);
        return read;
    }
}
