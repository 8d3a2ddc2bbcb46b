namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// How many socket connections the daemon's descriptor limit leaves room for (audit N-17): every connection holds a
/// descriptor, and a daemon at its RLIMIT_NOFILE can neither spawn, capture logs nor save its state. Connections get
/// at most half of what is left after <see cref="Headroom"/> for supervision; a normal limit (.NET raises the soft
/// limit to the hard one, usually 524288) keeps the configured 512.
/// </summary>
internal static class OpenFileBudget
{
    /// <summary>Descriptors kept for everything but connections: services' pipes and pidfds, logs, state, the runtime.</summary>
    public const int Headroom = 128;

    /// <summary>The fewest connections allowed, whatever the limit (the root reserve needs some).</summary>
    public const int MinConnections = 24;

    /// <summary>The connection limit for a soft RLIMIT_NOFILE of <paramref name="softLimit"/> (null: unknown → <paramref name="configured"/>).</summary>
    public static int Connections(long? softLimit, int configured) =>
        softLimit is { } soft ? (int)Math.Clamp((soft - Headroom) / 2, MinConnections, configured) : configured;

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
