using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Supervision.Status;

namespace ProcessMaster.Daemon.Supervision;

/// <summary><c>status</c> (answered by <see cref="StatusBoard"/>) and the other read-only questions about one app.</summary>
internal sealed partial class SupervisorLoop
{
    /// <summary>Name of the provisioning marker in a working directory.</summary>
    public const string ProvisioningMarkerName = StatusBoard.ProvisioningMarkerName;

    /// <summary>
    /// One app, or every app when <paramref name="name"/> is null or <c>all</c>, sorted by name; with
    /// <paramref name="resources"/>, each app's resource counters are read now (else they are null).
    /// </summary>
    public Task<IReadOnlyList<ServiceView>> StatusAsync(string? name, bool resources = false) => InvokeAsync(() =>
    {
        bool all = name is null or All;
        IEnumerable<ServiceSlot> slots = all ? _slots.Values.Where(s => !s.Removed) : Targets(name!, force: true);
        return _status.Views([.. slots.OrderBy(s => s.Name, StringComparer.Ordinal)], _clock.Now(), resources, all, _clock.SteadyWall());
    });

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
