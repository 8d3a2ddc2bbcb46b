using ProcessMaster.Core.Names;

namespace ProcessMaster.Core.Config.Model;

/// <summary>
/// A validated service definition. Everything the original checked at start or stop time is checked
/// at load (SPEC §3.8), defaults are applied, and paths are resolved. Value equality tells a reload
/// whether a definition changed.
/// </summary>
/// <param name="Name">The service name (from <c>application</c> or the file name).</param>
/// <param name="SourceFile">The definition file, as given to the parser.</param>
/// <param name="Process">How to run and stop it.</param>
/// <param name="RunMode">Long-running with a restart policy, or a scheduled job.</param>
/// <param name="Logs">Log capture and rotation.</param>
/// <param name="Resources">cgroup limits.</param>
/// <param name="Enabled"><c>global.enabled</c> (default true).</param>
/// <param name="Provisioning">One-time working-directory setup entries (default none).</param>
public sealed record ServiceDefinition(
    ServiceName Name,
    string SourceFile,
    ProcessSettings Process,
    RunMode RunMode,
    LogSettings Logs,
    ResourceLimits Resources,
    bool Enabled,
    ValueList<ProvisioningEntry> Provisioning);
