namespace ProcessMaster.Daemon.Supervision;

/// <summary>What the metrics need from the loop: each service's cgroup and its log capture counters.</summary>
internal sealed partial class SupervisorLoop
{
    /// <summary>Every service, sorted by name, with its cgroup path (null before it has one) and its capture counters.</summary>
    public Task<IReadOnlyList<ServiceCounters>> CountersAsync() => InvokeAsync<IReadOnlyList<ServiceCounters>>(() =>
        [.. _slots.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => new ServiceCounters(
            s.Name, s.Cgroup?.Node.Path,
            [.. _captures.CountersOf(s.Name).Select(c => new LogCounters(c.Stream, c.BytesWritten, c.BytesDiscarded))]))]);
}

/// <summary>One service's cgroup and log capture counters.</summary>
internal sealed record ServiceCounters(string Name, string? CgroupPath, IReadOnlyList<LogCounters> Logs);

/// <summary>Bytes a capture wrote to the log file, and bytes it drained and threw away (log path refused).</summary>
internal sealed record LogCounters(string Stream, long BytesWritten, long BytesDropped);
