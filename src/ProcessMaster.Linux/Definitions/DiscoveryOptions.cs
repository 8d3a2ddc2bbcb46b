using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;

namespace ProcessMaster.Linux.Definitions;

/// <summary>Where <see cref="DefinitionDiscovery"/> looks, and how it parses.</summary>
/// <param name="MasterConfigFile">The master configuration file (named in directory-level problems).</param>
/// <param name="ConfigDirectory">global.config_directory, resolved; null when not configured.</param>
/// <param name="AutoServiceDirectory">global.auto_service_directory, resolved; null when not configured.</param>
/// <param name="Context">Defaults the parser needs (auto-service base, default user and group).</param>
/// <param name="DryRun">True for <c>--check</c>: nothing is written (no generated service.yml, no backups, no provisioning).</param>
public sealed record DiscoveryOptions(
    string MasterConfigFile,
    string? ConfigDirectory,
    string? AutoServiceDirectory,
    ServiceParseContext Context,
    bool DryRun)
{
    /// <summary>
    /// Who the daemon is once started (after <c>global.user</c>): decides whom services may run as, which
    /// provisioning entries are possible, and which owner besides root a trusted definition may have.
    /// </summary>
    public Credentials.DaemonIdentity Identity { get; init; } = Credentials.DaemonIdentity.Current();

    /// <summary>Where provisioning starts <c>setcap</c> (every child of the daemon goes through it); null: no provisioning is applied.</summary>
    public Spawn.ChildProcessRegistry? Children { get; init; }
}

/// <summary>What discovery loaded, what it refused (with file and reason), and what it did (notes).</summary>
public sealed record DiscoveredDefinitions(
    IReadOnlyList<ServiceDefinition> Definitions,
    IReadOnlyList<ConfigError> Problems,
    IReadOnlyList<string> Notes);
