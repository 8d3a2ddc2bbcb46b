using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Definitions;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>One step of an <c>update</c>: what becomes of one service.</summary>
internal abstract record ReloadStep
{
    /// <summary>The definition did not change.</summary>
    public sealed record Unchanged(ServiceSlot Slot) : ReloadStep;

    /// <summary>A new definition; <paramref name="LogsChanged"/> when its capture (logs or working directory) must restart.</summary>
    public sealed record Modified(ServiceSlot Slot, ServiceDefinition Definition, bool LogsChanged) : ReloadStep;

    /// <summary>Its file no longer loads: it keeps the last good definition (flag outdated).</summary>
    public sealed record KeptLastGood(ServiceSlot Slot) : ReloadStep;

    /// <summary>Its definition is gone: it stops and is forgotten once at rest.</summary>
    public sealed record Removed(ServiceSlot Slot) : ReloadStep;

    /// <summary>A new service.</summary>
    public sealed record Added(ServiceDefinition Definition) : ReloadStep;

    /// <summary>Defined again while it is still stopping from an earlier removal: nothing is done yet.</summary>
    public sealed record StillStopping(ServiceDefinition Definition) : ReloadStep;
}

/// <summary>
/// What an <c>update</c> does, decided from the services the loop holds and a fresh discovery, without touching
/// either: first every service still defined or defined before (by name), then the new ones (by name). The
/// <see cref="SupervisorLoop"/> carries the steps out in this order.
/// </summary>
internal static class ReloadPlan
{
    public static IReadOnlyList<ReloadStep> For(IReadOnlyDictionary<string, ServiceSlot> slots, DiscoveredDefinitions found)
    {
        var steps = new List<ReloadStep>();
        var incoming = found.Definitions.ToDictionary(d => d.Name.Value, StringComparer.Ordinal);
        var failedFiles = found.Problems.Select(p => Path.GetFullPath(p.File)).ToHashSet(StringComparer.Ordinal);
        foreach (ServiceSlot slot in slots.Values.Where(s => !s.Removed).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (incoming.Remove(slot.Name, out ServiceDefinition? definition))
                steps.Add(definition.Equals(slot.Definition)
                    ? new ReloadStep.Unchanged(slot)
                    : new ReloadStep.Modified(slot, definition, !definition.Logs.Equals(slot.Definition.Logs)
                        || definition.Process.WorkingDirectory != slot.Definition.Process.WorkingDirectory));
            else if (failedFiles.Contains(Path.GetFullPath(slot.Definition.SourceFile)))
                steps.Add(new ReloadStep.KeptLastGood(slot));
            else
                steps.Add(new ReloadStep.Removed(slot));
        }
        foreach (ServiceDefinition definition in incoming.Values.OrderBy(d => d.Name.Value, StringComparer.Ordinal))
            steps.Add(slots.ContainsKey(definition.Name.Value) ? new ReloadStep.StillStopping(definition) : new ReloadStep.Added(definition));
        return steps;
    }
}
