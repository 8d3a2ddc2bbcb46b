using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;
using ProcessMaster.Daemon.Persistence;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Boot: restore what the last daemon knew, look at what the kernel says now, and resume. A service found
/// running in its cgroup is adopted with the same processes (no restart, SPEC §3.2); one that stopped while no
/// daemon watched is reported as stopped (and restarted by its policy); enabled services that should run are started.
/// </summary>
internal sealed partial class SupervisorLoop
{
    /// <summary>Adds every definition, reconciles each with its cgroup, then starts what should run.</summary>
    public Task BootAsync(IReadOnlyList<ServiceDefinition> definitions, FlagRuleSet rules, PersistedState? saved, bool sameBoot) =>
        InvokeAsync(() =>
        {
            Moment now = _clock.Now();
            foreach (ServiceDefinition definition in definitions)
            {
                ServicePolicy policy = ServicePolicy.For(definition, rules);
                ServiceSlot slot = Add(definition, policy, ServiceRuntime.New(policy.Kind, now));
                if (saved?.Services.TryGetValue(definition.Name.Value, out PersistedService? persisted) == true)
                    slot.Restore(RuntimeMapping.Restore(persisted, now, sameBoot));
                Reconcile(slot);
                _cron.Arm(slot);
            }
            ReportUnknownCgroups();
            QueueBootStarts(_slots.Values.Where(s => s.Policy.Kind == ServiceKind.Service && s.Definition.Enabled)
                .OrderBy(s => s.Name, StringComparer.Ordinal));
            return true;
        });

    /// <summary>Tells Decide what the cgroup holds now, and re-arms the deadlines a restored state carries.</summary>
    private void Reconcile(ServiceSlot slot)
    {
        try
        {
            EnsureCgroup(slot);
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            _journal.Append("cgroup", slot.Name, $"cannot create its cgroup: {e.Message}; it cannot start until this is fixed", EventSeverity.Error);
            return;
        }
        try
        {
            _captures.Attach(slot.Definition);
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            _journal.Append("logs", slot.Name, $"cannot set up log capture: {e.Message}; output is not captured until it can be", EventSeverity.Warning);
        }
        _userFlags.Arm(slot);
        _deadlines.Set(DeadlineKey.State(slot.Name), ServiceLifecycle.DeadlineFor(slot.Runtime, slot.Policy));
        slot.Runtime = slot.Runtime with { Deadline = ServiceLifecycle.DeadlineFor(slot.Runtime, slot.Policy) };
        bool populated;
        IReadOnlyList<int> pids;
        try
        {
            populated = slot.Cgroup!.Node.IsPopulated();
            pids = populated ? slot.Cgroup.Node.ReadProcsRecursive() : [];
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            _journal.Append("cgroup", slot.Name, $"cannot read {slot.Cgroup!.Node.Path}: {e.Message}; treating it as running", EventSeverity.Warning);
            DropForeignMainPid(slot, []);
            return;
        }
        RecoverMainExit(slot);
        DropForeignMainPid(slot, pids);
        if (populated)
        {
            _journal.Append("reconcile", slot.Name, $"found running with {pids.Count} processes ({string.Join(',', pids.Take(10))}{(pids.Count > 10 ? ",…" : "")}); adopted without a restart");
            Feed(slot, new Adopted(pids));
        }
        // Adopted with no pids: an empty cgroup, and in Starting a spawn the last daemon never finished (asked again now).
        else if (!slot.MainAlive && (slot.Runtime.Populated || !slot.Runtime.State.IsAtRest())) Feed(slot, new Adopted([]));
    }

    /// <summary>
    /// A main pid from the state file is kept only while it is in the service's cgroup, in every state (audit N-26): a
    /// pid outside it is someone else's process (the state file is not proof), never shown nor signalled.
    /// </summary>
    private void DropForeignMainPid(ServiceSlot slot, IReadOnlyList<int> pids)
    {
        if (slot.Runtime.MainPid is not { } main || pids.Contains(main) || slot.MainAlive) return;
        slot.Runtime = slot.Runtime with { MainPid = null };
        _journal.Append("reconcile", slot.Name, $"saved main pid {main} is not in {slot.Cgroup!.Node.Path}; forgotten (not this service's process)");
    }

    /// <summary>Service cgroups of services that are no longer defined are left alone, but said so.</summary>
    private void ReportUnknownCgroups()
    {
        try
        {
            foreach (string child in _master.Node.ListChildren())
            {
                if (!child.StartsWith(CgroupLayout.ServicePrefix, StringComparison.Ordinal)) continue;
                string service = child[CgroupLayout.ServicePrefix.Length..];
                if (_slots.ContainsKey(service)) continue;
                using CgroupNode node = _master.Node.OpenChild(child);
                if (node.IsPopulated())
                    _journal.Append("reconcile", service, $"{node.Path} holds processes of a service that is no longer defined; left running (define it again to manage it, or kill them with `echo 1 > {node.Path}/cgroup.kill`)");
            }
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            _journal.Append("reconcile", null, $"cannot list {_master.Node.Path}: {e.Message}", EventSeverity.Warning);
        }
    }

    /// <summary>The state file's view of every service.</summary>
    public Task<PersistedState> SnapshotAsync(string? bootId) => InvokeAsync(() => Snapshot(bootId));

    internal PersistedState Snapshot(string? bootId)
    {
        var state = new PersistedState { BootId = bootId, SavedAtMs = _clock.Now().Wall.ToUnixTimeMilliseconds() };
        foreach (ServiceSlot slot in _slots.Values) state.Services[slot.Name] = RuntimeMapping.ToPersisted(slot.Save());
        return state;
    }
}
