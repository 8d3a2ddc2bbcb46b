using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Procfs;

namespace ProcessMaster.Daemon.Supervision;

/// <summary><c>status</c>: the state Decide holds plus what the kernel says now (pids, their ages).</summary>
internal sealed partial class SupervisorLoop
{
    /// <summary>Name of the provisioning marker in a working directory.</summary>
    public const string ProvisioningMarkerName = ".pm_provisioned";

    /// <summary>One app, or every app when <paramref name="name"/> is null or <c>all</c>, sorted by name.</summary>
    public Task<IReadOnlyList<ServiceView>> StatusAsync(string? name) => InvokeAsync<IReadOnlyList<ServiceView>>(() =>
    {
        Moment now = _clock.Now();
        IEnumerable<ServiceSlot> slots = name is null or All ? _slots.Values.Where(s => !s.Removed) : Targets(name, force: true);
        return [.. slots.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => View(s, now))];
    });

    private ServiceView View(ServiceSlot slot, Moment now)
    {
        ServiceRuntime r = slot.Runtime;
        IReadOnlyList<int> pids = [];
        CgroupUsage usage = CgroupUsage.None;
        if (slot.Cgroup is not null)
        {
            try
            {
                pids = [.. slot.Cgroup.Node.ReadProcsRecursive().Order()];
                usage = slot.Cgroup.Node.ReadUsage();
            }
            catch (Exception e) when (e is IOException or LinuxException or FormatException)
            {
                pids = [];
            }
        }
        var uptimes = pids.Select(p => ProcStat.TryGetAge(p) is { } age ? (long)age.TotalMilliseconds : -1L).ToList();
        string marker = Path.Join(slot.Definition.Process.WorkingDirectory, ProvisioningMarkerName);
        var job = slot.Definition.RunMode as Core.Config.Model.RunMode.Job;
        FlagSet<SystemFlag> flags = r.Flags.Prune(now.Wall, out _);
        FlagSet<string> userFlags = slot.UserFlags.Prune(_clock.SteadyWall(), out _);
        return new ServiceView(
            slot.Name,
            slot.Definition.Enabled,
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
            slot.Definition.Process.WorkingDirectory,
            slot.Definition.SourceFile,
            slot.Definition.Provisioning.Count > 0,
            slot.Definition.Provisioning.Count > 0 ? marker : null,
            slot.Definition.Provisioning.Count > 0 && Path.Exists(marker),
            slot.LastStartAttempt,
            r.LastExit?.Code,
            r.LastExit?.ToString(),
            job?.Schedule.Text,
            job?.NotBefore?.ToInstant(_zone),
            job?.NotAfter?.ToInstant(_zone),
            job?.MaxTimePerRun?.TimeSpan,
            NextRun(slot, now),
            r.Detail,
            slot.Outdated,
            slot.LimitProblems,
            [.. slot.Runs],
            usage);
    }

    /// <summary>Next occurrence of a job's schedule (the cron runner sets it; null for services).</summary>
    private static DateTimeOffset? NextRun(ServiceSlot slot, Moment now) => slot.NextRunAt is { } at && at >= now.Wall ? at : null;

    /// <summary>The log files of one app, or of every app when <paramref name="name"/> is null or <c>all</c>.</summary>
    public Task<IReadOnlyList<Logs.ServiceLogFile>> LogFilesAsync(string? name) => InvokeAsync<IReadOnlyList<Logs.ServiceLogFile>>(() =>
    {
        IEnumerable<ServiceSlot> slots = name is null or All ? _slots.Values.Where(s => !s.Removed) : Targets(name, force: true);
        return [.. slots.OrderBy(s => s.Name, StringComparer.Ordinal).SelectMany(s => Logs.ServiceLogFile.Of(s.Definition))];
    });

    /// <summary>The definition in force for one app.</summary>
    public Task<ServiceDefinition> DefinitionAsync(string name) => InvokeAsync(() => Targets(name, force: true).Single().Definition);

    /// <summary>Creates (or opens) one service's cgroup, writes its limits, and returns its path.</summary>
    public Task<string> EnsureCgroupAsync(string name) => InvokeAsync(() =>
    {
        ServiceSlot slot = Targets(name, force: true).Single();
        EnsureCgroup(slot);
        return slot.Cgroup!.Node.Path;
    });
}
