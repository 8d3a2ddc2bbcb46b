using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Procfs;
using JobMode = ProcessMaster.Core.Config.Model.RunMode.Job;

namespace ProcessMaster.Daemon.Supervision.Status;

/// <summary>
/// <c>status</c>' answer, built on the loop thread. Everything but the pid list comes from what the loop already
/// holds: the runtime Decide produced, the flag sets, the definition, the job runs, each an immutable value the loop
/// replaces as events happen, so reading them is reading the current snapshot, with no kernel file per request.
/// The kernel is asked for two things only:
/// <list type="bullet">
/// <item>the pids of each service whose cgroup may hold a process (no event reports a fork): <see cref="ServiceCgroup.ReadMembers"/>,
/// three small reads per running service; a stopped one costs nothing. A pid's start time is read once, the first
/// time it is listed, and kept while it stays listed (its age is then computed from one <c>/proc/uptime</c> read per
/// request);</item>
/// <item>the resource counters (<c>memory.events</c>, <c>cpu.stat</c>, pressure: five files per service) only when
/// the caller asks for them; otherwise those fields are null.</item>
/// </list>
/// The serialised answer is not cached: uptimes, <c>restarts_10m</c>, flag expiry and the next run move with the
/// clock, so two requests never share their bytes.
/// </summary>
internal sealed class StatusBoard(TimeZoneInfo zone)
{
    /// <summary>Name of the provisioning marker in a working directory.</summary>
    public const string ProvisioningMarkerName = ".pm_provisioned";

    /// <summary>More pids than this in the start-time cache: start again (only single-service requests let it grow).</summary>
    private const int MaxKnownPids = 65_536;

    private Dictionary<int, long?> _startTicks = [];

    /// <summary>The views of <paramref name="slots"/> (in their order); <paramref name="all"/>: every slot is listed, so pids of no slot are forgotten.</summary>
    public IReadOnlyList<ServiceView> Views(IReadOnlyList<ServiceSlot> slots, Moment now, bool resources, bool all, DateTimeOffset? flagNow = null)
    {
        var listed = new Dictionary<int, long?>();
        var clock = new BootClock();
        var views = new ServiceView[slots.Count];
        for (int i = 0; i < slots.Count; i++) views[i] = View(slots[i], now, resources, listed, ref clock, flagNow ?? now.Wall);
        if (all || _startTicks.Count > MaxKnownPids) _startTicks = listed;
        else foreach ((int pid, long? ticks) in listed) _startTicks[pid] = ticks;
        return views;
    }

    private ServiceView View(ServiceSlot slot, Moment now, bool resources, Dictionary<int, long?> listed, ref BootClock clock, DateTimeOffset flagNow)
    {
        ServiceRuntime r = slot.Runtime;
        IReadOnlyList<int> pids = [];
        // Without a resources read, the OOM kills the loop last saw (memory.events, read each time the service's
        // processes have all exited): an OOM kill is never hidden from a plain status, and costs it no read.
        CgroupUsage usage = slot.OomKillsSeen is > 0 ? CgroupUsage.None with { OomKills = slot.OomKillsSeen } : CgroupUsage.None;
        if (slot.Cgroup is { } cgroup)
        {
            try
            {
                if (MayHoldProcesses(r)) pids = [.. cgroup.ReadMembers().Order()];
                if (resources) usage = cgroup.Node.ReadUsage();
            }
            catch (Exception e) when (e is IOException or LinuxException or FormatException)
            {
                pids = [];
            }
        }
        var uptimes = new long[pids.Count];
        for (int i = 0; i < pids.Count; i++) uptimes[i] = AgeMs(pids[i], listed, ref clock);

        var definition = slot.Definition;
        bool provisioning = definition.Provisioning.Count > 0;
        string? marker = provisioning ? Path.Join(definition.Process.WorkingDirectory, ProvisioningMarkerName) : null;
        var job = definition.RunMode as JobMode;
        FlagSet<SystemFlag> flags = r.Flags.Prune(now.Wall, out _);
        FlagSet<string> userFlags = slot.UserFlags.Prune(flagNow, out _);   // TTLs: DaemonClock.SteadyWall
        return new ServiceView(
            slot.Name,
            definition.Enabled,
            job is not null,
            r.State,
            r.PhaseOf(),
            r.Populated,
            r.MainPid,
            pids,
            uptimes,
            r.History.RecentCrashes(now),
            [.. SystemFlags.Visible(flags, r.Populated).Select(f => SystemFlags.Name(f))],
            [.. userFlags.Names],
            definition.Process.WorkingDirectory,
            definition.SourceFile,
            provisioning,
            marker,
            marker is not null && Path.Exists(marker),
            slot.LastStartAttempt,
            r.LastExit?.Code,
            r.LastExit?.ToString(),
            job?.Schedule.Text,
            job?.NotBefore?.ToInstant(zone),
            job?.NotAfter?.ToInstant(zone),
            job?.MaxTimePerRun?.TimeSpan,
            slot.NextRunAt is { } at && at >= now.Wall ? at : null,
            r.Detail,
            slot.Outdated,
            slot.LimitProblems,
            [.. slot.Runs],
            usage);
    }

    /// <summary>The cgroup may hold a process: the kernel said populated, or the service is between spawn and rest (events may lag).</summary>
    private static bool MayHoldProcesses(ServiceRuntime r) =>
        r.Populated || r.State is not (ServiceState.Stopped or ServiceState.Idle or ServiceState.Failed or ServiceState.Backoff);

    /// <summary>How long <paramref name="pid"/> has run in ms, -1 when unknown; its start time from the cache or read once.</summary>
    private long AgeMs(int pid, Dictionary<int, long?> listed, ref BootClock clock)
    {
        if (!_startTicks.TryGetValue(pid, out long? ticks)) ticks = ProcStat.TryReadStartTicks(pid);
        listed[pid] = ticks;
        if (ticks is not { } started || clock.SinceBoot() is not { } up) return -1;
        TimeSpan age = up - TimeSpan.FromSeconds((double)started / ProcStat.ClockTicksPerSecond);
        return age < TimeSpan.Zero ? 0 : (long)age.TotalMilliseconds;
    }

    /// <summary><c>/proc/uptime</c>, read at most once per request (and only when some pid is listed).</summary>
    private struct BootClock
    {
        private bool _read;
        private TimeSpan? _uptime;

        public TimeSpan? SinceBoot()
        {
            if (!_read)
            {
                _uptime = ProcStat.TryReadUptime();
                _read = true;
            }
            return _uptime;
        }
    }
}
