namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// How many socket connections and followed log files the daemon's descriptor limit leaves room for (audit N-17):
/// every connection holds a descriptor, every followed file about two, and a daemon at its RLIMIT_NOFILE can neither
/// spawn, capture logs nor save its state. The daemon raises its soft limit to the hard one at start
/// (<see cref="DaemonLimits.RaiseOpenFiles"/>; usually 524288), then sizes these budgets from it: connections get at
/// most half of what is left after <see cref="Headroom"/> for supervision, up to <see cref="MaxConnections"/>;
/// <c>logs_follow</c> sessions and followed files are bounded by the connections (docs/rpc.md "Limits").
/// </summary>
internal static class OpenFileBudget
{
    /// <summary>Descriptors kept for everything but connections: services' pipes and pidfds, logs, state, the runtime.</summary>
    public const int Headroom = 128;

    /// <summary>The fewest connections allowed, whatever the limit (the root reserve needs some).</summary>
    public const int MinConnections = 24;

    /// <summary>Connections at most, however high the limit (each costs a 4 KiB buffer and a task).</summary>
    public const int MaxConnections = 4096;

    /// <summary>The connection limit for a soft RLIMIT_NOFILE of <paramref name="softLimit"/> (null: unknown → <paramref name="ceiling"/>).</summary>
    public static int Connections(long? softLimit, int ceiling = MaxConnections) =>
        softLimit is { } soft ? (int)Math.Clamp((soft - Headroom) / 2, MinConnections, ceiling) : ceiling;

    /// <summary><c>logs_follow</c> sessions for <paramref name="connections"/> connections: one each, at most <see cref="Logs.LogReading.MaxFollowers"/>.</summary>
    public static int Followers(int connections) => Math.Min(connections, Logs.LogReading.MaxFollowers);

    /// <summary>Files followed at once for <paramref name="connections"/> connections: two each (stdout, stderr), at most <see cref="Logs.LogReading.MaxFollowedFiles"/>.</summary>
    public static int FollowedFiles(int connections) => Math.Min(2 * connections, Logs.LogReading.MaxFollowedFiles);

    /// <summary>The soft RLIMIT_NOFILE from <c>/proc/self/limits</c>; null when unreadable or unlimited.</summary>
    public static long? SoftLimit()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            string[] fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            return fields.Length >= 4 && long.TryParse(fields[3], System.Globalization.CultureInfo.InvariantCulture, out long soft) ? soft : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
