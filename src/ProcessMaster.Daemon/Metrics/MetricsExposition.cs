using System.Collections.Concurrent;
using System.Diagnostics;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Hosting;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Daemon.Supervision.Status;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Metrics;

/// <summary>
/// The Prometheus exposition behind <c>pmctl metrics</c> and the console's <c>/metrics</c>: per service its state,
/// restarts, uptime, cpu, memory, OOM kills and log bytes; the daemon's own RSS, threads, descriptors and cpu
/// (the standard <c>process_*</c> names); RPC calls and latency per method. Counters count from the daemon's start
/// (Prometheus handles the reset). A value the kernel does not offer (no memory controller) is left out, never 0.
/// </summary>
internal sealed class MetricsExposition : IDisposable
{
    private readonly SupervisorLoop _loop;
    private readonly ConcurrentDictionary<string, long> _restarts = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    public MetricsExposition(SupervisorLoop loop, EventJournal journal, RpcStatistics rpc)
    {
        _loop = loop;
        Rpc = rpc;
        // A restart is the event kind "restart" (RestartScheduled), raised once per automatic restart.
        _subscription = journal.Subscribe(e =>
        {
            if (e.Component == "restart" && e.App is { } app) _restarts.AddOrUpdate(app, 1, static (_, n) => n + 1);
        });
    }

    /// <summary>The RPC call statistics this exposition reports.</summary>
    public RpcStatistics Rpc { get; }

    /// <summary>Renders the exposition now.</summary>
    public async Task<MetricsResult> RenderAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ServiceView> views = await _loop.StatusAsync(null).ConfigureAwait(false);
        IReadOnlyList<ServiceCounters> counters = await _loop.CountersAsync().ConfigureAwait(false);
        // cgroup files are read off the loop.
        string text = await Task.Run(() => Render([.. views.Select(StatusMapping.ToEntry)], counters), cancellationToken).ConfigureAwait(false);
        return new MetricsResult { Text = text };
    }

    private string Render(IReadOnlyList<StatusEntry> entries, IReadOnlyList<ServiceCounters> counters)
    {
        var t = new PrometheusText();
        t.Family("processmaster_build_info", "gauge", "The daemon's build stamp (always 1).")
            .Sample("processmaster_build_info", 1, ("build_host", BuildInfo.Host), ("build_time", BuildInfo.Time));

        t.Family("processmaster_service_up", "gauge", "1 when the service's cgroup holds at least one process.");
        foreach (StatusEntry e in entries) t.Sample("processmaster_service_up", e.Running ? 1 : 0, ("service", e.Application));

        t.Family("processmaster_service_state", "gauge", "1 for the state the service is in, 0 for the others.");
        foreach (StatusEntry e in entries)
            foreach (DetailedState state in Enum.GetValues<DetailedState>())
                t.Sample("processmaster_service_state", e.State == state ? 1 : 0, ("service", e.Application), ("state", state.ToString().ToLowerInvariant()));

        t.Family("processmaster_service_restarts_total", "counter", "Automatic restarts after a crash since the daemon started.");
        foreach (StatusEntry e in entries) t.Sample("processmaster_service_restarts_total", _restarts.GetValueOrDefault(e.Application), ("service", e.Application));

        t.Family("processmaster_service_uptime_seconds", "gauge", "How long the main process (else the oldest process) has run; absent when stopped.");
        foreach (StatusEntry e in entries)
            if (Uptime(e) is { } ms) t.Sample("processmaster_service_uptime_seconds", ms / 1000.0, ("service", e.Application));

        var stats = counters.Where(c => c.CgroupPath is not null).Select(c => (c.Name, Stats: CgroupStats.TryRead(c.CgroupPath!))).ToList();
        t.Family("processmaster_service_cpu_seconds_total", "counter", "CPU time used by the service's cgroup (cpu.stat usage_usec).");
        foreach ((string name, CgroupStats? s) in stats)
            if (s?.CpuSeconds is { } cpu) t.Sample("processmaster_service_cpu_seconds_total", cpu, ("service", name));
        t.Family("processmaster_service_memory_bytes", "gauge", "Memory used by the service's cgroup (memory.current; absent without the memory controller).");
        foreach ((string name, CgroupStats? s) in stats)
            if (s?.MemoryBytes is { } memory) t.Sample("processmaster_service_memory_bytes", memory, ("service", name));
        t.Family("processmaster_service_oom_kills_total", "counter", "Processes of the service killed by the OOM killer (memory.events oom_kill; absent without the memory controller).");
        foreach ((string name, CgroupStats? s) in stats)
            if (s?.OomKills is { } kills) t.Sample("processmaster_service_oom_kills_total", kills, ("service", name));

        t.Family("processmaster_service_log_written_bytes_total", "counter", "Bytes of the service's output written to its log files since the daemon started.");
        foreach (ServiceCounters c in counters)
            foreach (LogCounters log in c.Logs) t.Sample("processmaster_service_log_written_bytes_total", log.BytesWritten, ("service", c.Name), ("stream", log.Stream));
        t.Family("processmaster_service_log_dropped_bytes_total", "counter", "Bytes of the service's output drained and dropped because its log file could not be written.");
        foreach (ServiceCounters c in counters)
            foreach (LogCounters log in c.Logs) t.Sample("processmaster_service_log_dropped_bytes_total", log.BytesDropped, ("service", c.Name), ("stream", log.Stream));

        DaemonProcess(t);
        RpcCalls(t);
        return t.ToString();
    }

    private static long? Uptime(StatusEntry e)
    {
        if (!e.Running || e.Pids.Count == 0) return null;
        int main = e.MainPid is { } pid ? e.Pids.ToList().IndexOf(pid) : -1;
        long uptime = main >= 0 && main < e.PidUptimesMs.Count ? e.PidUptimesMs[main] : e.PidUptimesMs.DefaultIfEmpty(-1).Max();
        return uptime >= 0 ? uptime : null;
    }

    private static void DaemonProcess(PrometheusText t)
    {
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        t.Family("process_resident_memory_bytes", "gauge", "The daemon's resident set size.")
            .Sample("process_resident_memory_bytes", self.WorkingSet64);
        t.Family("process_threads", "gauge", "The daemon's threads.")
            .Sample("process_threads", CountEntries("/proc/self/task"));
        t.Family("process_open_fds", "gauge", "The daemon's open file descriptors.")
            .Sample("process_open_fds", CountEntries("/proc/self/fd"));
        t.Family("process_cpu_seconds_total", "counter", "CPU time the daemon used (user and system).")
            .Sample("process_cpu_seconds_total", Environment.CpuUsage.TotalTime.TotalSeconds);
        t.Family("process_start_time_seconds", "gauge", "When the daemon started, in seconds since the epoch.")
            .Sample("process_start_time_seconds", new DateTimeOffset(self.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
    }

    private void RpcCalls(PrometheusText t)
    {
        IReadOnlyList<(string Method, RpcStatistics.MethodStatistics Statistics)> methods = Rpc.Snapshot();
        t.Family("processmaster_rpc_requests_total", "counter", "RPC calls answered (unix socket and web console), by method.");
        foreach ((string method, RpcStatistics.MethodStatistics s) in methods) t.Sample("processmaster_rpc_requests_total", s.Count, ("method", method));
        t.Family("processmaster_rpc_request_duration_seconds", "histogram", "Time to answer an RPC call, by method.");
        foreach ((string method, RpcStatistics.MethodStatistics s) in methods)
        {
            long count = s.Count;
            long[] buckets = s.CumulativeBuckets();
            for (int i = 0; i < buckets.Length; i++)
                t.Sample("processmaster_rpc_request_duration_seconds_bucket", buckets[i], ("method", method), ("le", PrometheusText.Number(RpcStatistics.BucketBounds[i])));
            t.Sample("processmaster_rpc_request_duration_seconds_bucket", count, ("method", method), ("le", "+Inf"));
            t.Sample("processmaster_rpc_request_duration_seconds_sum", s.SumSeconds, ("method", method));
            t.Sample("processmaster_rpc_request_duration_seconds_count", count, ("method", method));
        }
    }

    private static int CountEntries(string directory)
    {
        try
        {
            return Directory.GetFileSystemEntries(directory).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public void Dispose() => _subscription.Dispose();

    /// <summary>What one app cgroup says about its use; null values where the controller is off.</summary>
    private sealed record CgroupStats(double? CpuSeconds, long? MemoryBytes, long? OomKills)
    {
        public static CgroupStats? TryRead(string path)
        {
            try
            {
                using CgroupNode node = CgroupNode.Open(path);
                double? cpu = null;
                try
                {
                    cpu = node.ReadCpuStat().UsageUsec / 1e6;
                }
                catch (Exception e) when (e is IOException or Linux.LinuxException)
                {
                    // cpu.stat unreadable: left out.
                }
                return new CgroupStats(cpu, node.ReadMemoryCurrent(), node.ReadOomKills());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Linux.LinuxException)
            {
                return null; // the cgroup went away (a removed service) between listing and reading
            }
        }
    }
}
