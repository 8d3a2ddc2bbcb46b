namespace ProcessMaster.Core.Config.Model;

/// <summary><c>global.*</c> of the master config. All paths are resolved against the config file's directory.</summary>
/// <param name="ConfigDirectory">Directory of service YAML files (default <c>config.d</c>).</param>
/// <param name="AutoServiceDirectory">Directory whose child directories are services; null = none.</param>
/// <param name="User">User the daemon drops to after binding the socket and creating cgroups; null = stay.</param>
/// <param name="Group">Group the daemon drops to; null = the user's primary group (or stay).</param>
/// <param name="DefaultServiceUser">User written into generated auto-service definitions (default <c>nobody</c>; the
/// original's <c>root</c> is no longer the default, audit N-14).</param>
/// <param name="DefaultServiceGroup">Group written into generated auto-service definitions; null (the default) = the
/// user's primary group.</param>
/// <param name="AllowProvisioningOutsideWorkingDirectory">Provisioning targets may lie outside the service's working
/// directory (default false: refused at load).</param>
/// <param name="StopServicesOnShutdown">Stop every service when the daemon shuts down (default false: they keep running, SPEC §3.2).</param>
/// <param name="StateFile">Persisted daemon state (default <c>&lt;config_directory&gt;/appstate.json</c>).</param>
/// <param name="FlagRulesFile">Flag rule overrides (default <c>&lt;config_directory&gt;/flag_rules.json</c>).</param>
/// <param name="LogFile">The daemon's own log (default <c>logs/processmaster.log</c> next to the config file); rotated at
/// <see cref="LogRotationBytes"/>, keeping <see cref="LogRotationBackups"/> gzipped backups, as the original did.</param>
public sealed record GlobalSettings(
    string ConfigDirectory,
    string? AutoServiceDirectory,
    string? User,
    string? Group,
    string DefaultServiceUser,
    string? DefaultServiceGroup,
    bool AllowProvisioningOutsideWorkingDirectory,
    bool StopServicesOnShutdown,
    string StateFile,
    string FlagRulesFile,
    string LogFile)
{
    /// <summary>Size at which the daemon log is rotated (10 MiB).</summary>
    public const long LogRotationBytes = 10 * 1024 * 1024;

    /// <summary>Rotated daemon logs kept (gzipped).</summary>
    public const int LogRotationBackups = 10;
}
