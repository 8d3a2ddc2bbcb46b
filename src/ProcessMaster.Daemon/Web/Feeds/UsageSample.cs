namespace ProcessMaster.Daemon.Web.Feeds;

/// <summary>One sample of every service's cgroup usage, for the status table's cpu and memory columns.</summary>
internal sealed record UsageSample
{
    /// <summary>When the sample was taken, epoch ms.</summary>
    public long AtMs { get; init; }

    /// <summary>One entry per service whose cgroup exists.</summary>
    public IReadOnlyList<ServiceUsage> Services { get; init; } = [];
}

/// <summary>A service's cumulative cpu time and current memory; the page turns two samples into a cpu %.</summary>
internal sealed record ServiceUsage
{
    public required string Name { get; init; }

    /// <summary><c>usage_usec</c> of <c>cpu.stat</c>.</summary>
    public long UsageUsec { get; init; }

    /// <summary><c>memory.current</c> in bytes, null when the memory controller is off.</summary>
    public long? MemoryBytes { get; init; }
}

/// <summary>The first message of the status stream: who is logged in and which build serves the page.</summary>
internal sealed record StreamHello
{
    public required string User { get; init; }

    public required string BuildHost { get; init; }

    public required string BuildTime { get; init; }

    /// <summary>Seconds between usage samples while a page is open.</summary>
    public double UsageIntervalSeconds { get; init; }
}
