using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Definitions;
using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// <c>update</c>: carry out the <see cref="ReloadPlan"/> of a fresh discovery. Added services are reconciled and
/// started if enabled; removed ones are stopped and their cgroups removed; modified ones are handed to Decide
/// (restart, start, stop if disabled); a service whose file no longer loads keeps its last good definition, flagged
/// <c>outdated</c>.
/// </summary>
internal sealed partial class SupervisorLoop
{
    /// <summary>Applies <paramref name="found"/> (discovery runs off the loop, by the caller).</summary>
    public Task<ReloadReport> ReloadAsync(DiscoveredDefinitions found, FlagRuleSet rules) => InvokeAsync(() =>
    {
        var report = new ReloadReport();
        foreach (ReloadStep step in ReloadPlan.For(_slots, found))
        {
            switch (step)
            {
                case ReloadStep.Unchanged(ServiceSlot slot):
                    slot.Outdated = false;
                    Feed(slot, new DefinitionReloaded(DefinitionChange.Unchanged));
                    break;
                case ReloadStep.Modified(ServiceSlot slot, ServiceDefinition definition, bool logsChanged):
                    slot.Definition = definition;
                    slot.Policy = ServicePolicy.For(definition, rules);
                    slot.Outdated = false;
                    if (logsChanged) RestartCaptures(slot);
                    report.Modified.Add(slot.Name);
                    Feed(slot, new DefinitionReloaded(DefinitionChange.Modified));
                    _cron.Arm(slot);
                    break;
                case ReloadStep.KeptLastGood(ServiceSlot slot):
                    slot.Outdated = true;
                    report.KeptLastGood.Add(slot.Name);
                    _journal.Append("reconcile", slot.Name, $"{slot.Definition.SourceFile} no longer loads; keeping the last good definition (flag outdated) until it is fixed");
                    Feed(slot, new DefinitionReloaded(DefinitionChange.KeptLastGood));
                    break;
                case ReloadStep.Removed(ServiceSlot slot):
                    slot.Removed = true;
                    report.Removed.Add(slot.Name);
                    _cron.Arm(slot);
                    Feed(slot, new DefinitionRemoved());
                    break;
                case ReloadStep.StillStopping(ServiceDefinition definition):
                    // Removed a moment ago and still stopping: it comes back with the new definition once at rest.
                    report.Problems.Add($"service \"{definition.Name}\" is still stopping from an earlier removal; run update again once it has stopped");
                    break;
                case ReloadStep.Added(ServiceDefinition definition):
                    ServicePolicy policy = ServicePolicy.For(definition, rules);
                    ServiceSlot added = Add(definition, policy, ServiceRuntime.New(policy.Kind, _clock.Now()));
                    report.Added.Add(added.Name);
                    Reconcile(added);
                    _cron.Arm(added);
                    if (policy.Kind == ServiceKind.Service && definition.Enabled)
                        Feed(added, new StartRequested(Requester.System));
                    break;
            }
        }

        foreach (ConfigError problem in found.Problems)
        {
            report.Problems.Add(problem.ToString());
            _journal.Append("config", null, problem.ToString(), EventSeverity.Error); // as at boot: the daemon log names every file that did not load
        }
        _journal.Append("reconcile", null, $"update: {report.Summary}");
        foreach (string problem in report.Problems) _journal.Append("config", null, $"update: {problem}", EventSeverity.Warning);
        StateChanged?.Invoke();
        return report;
    });

    private void RestartCaptures(ServiceSlot slot)
    {
        _captures.Detach(slot.Name);
        try
        {
            _captures.Attach(slot.Definition);
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            _journal.Append("logs", slot.Name, $"cannot set up log capture: {e.Message}; output is not captured until it can be", EventSeverity.Warning);
        }
    }
}

/// <summary>What an <c>update</c> did.</summary>
internal sealed class ReloadReport
{
    public List<string> Added { get; } = [];
    public List<string> Removed { get; } = [];
    public List<string> Modified { get; } = [];
    public List<string> KeptLastGood { get; } = [];
    public List<string> Problems { get; } = [];

    public string Summary =>
        $"{Added.Count} added{List(Added)}, {Modified.Count} modified{List(Modified)}, {Removed.Count} removed{List(Removed)}, " +
        $"{KeptLastGood.Count} kept as last good{List(KeptLastGood)}, {Problems.Count} problems";

    private static string List(List<string> names) => names.Count == 0 ? "" : $" ({string.Join(',', names)})";
}
