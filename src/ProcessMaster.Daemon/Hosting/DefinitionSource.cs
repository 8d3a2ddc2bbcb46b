using ProcessMaster.Core.Flags;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Linux.Definitions;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// Where definitions come from: discovery (off the loop: it reads files), then the loop applies the result.
/// One reload at a time, so two <c>update</c> calls never interleave.
/// </summary>
internal sealed class DefinitionSource(MasterConfigLoad master, FlagRuleSet rules, Linux.Spawn.ChildProcessRegistry children) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private MasterConfigLoad _master = master;

    /// <summary>The flag rules in force (loaded once at boot).</summary>
    public FlagRuleSet Rules { get; } = rules;

    /// <summary>Discovers definitions (writing generated auto-service files, running provisioning).</summary>
    public DiscoveredDefinitions Discover() => DefinitionDiscovery.LoadAndProvision(_master.DiscoveryOptions(dryRun: false, children));

    /// <summary>Discovers again and applies the result; with <paramref name="newMaster"/> (<c>update --master</c>), from
    /// now on with the master configuration's new discovery keys.</summary>
    public async Task<ReloadReport> ReloadAsync(SupervisorLoop loop, MasterConfigLoad? newMaster = null)
    {
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            if (newMaster is not null) _master = newMaster;
            DiscoveredDefinitions found = await Task.Run(Discover).ConfigureAwait(false);
            return await loop.ReloadAsync(found, Rules).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();
}
