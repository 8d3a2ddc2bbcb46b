namespace ProcessMaster.Core.Config;

/// <summary>What a service definition needs from the master config.</summary>
/// <param name="AutoServiceDirectory">Resolved <c>global.auto_service_directory</c>; the base of default working directories. Null when not configured.</param>
/// <param name="DefaultServiceUser"><c>global.default_service_user</c> (default <c>nobody</c>), written into generated
/// auto-service definitions by <see cref="AutoServiceTemplate"/>; never applied to a definition that omits
/// <c>process.user</c> (such a service runs as the daemon's user, as in the original).</param>
/// <param name="DefaultServiceGroup"><c>global.default_service_group</c>; null = the user's primary group.</param>
/// <param name="AllowProvisioningOutsideWorkingDirectory"><c>global.allow_provisioning_outside_working_directory</c>:
/// provisioning targets may leave the working directory (default false, see <see cref="ProvisioningScope"/>).</param>
public sealed record ServiceParseContext(string? AutoServiceDirectory, string DefaultServiceUser, string? DefaultServiceGroup,
    bool AllowProvisioningOutsideWorkingDirectory = false)
{
    /// <summary>Checks <c>process.user</c>/<c>process.group</c> against the host's accounts; null: not checked (pure tests).</summary>
    public AccountCheck? Accounts { get; init; }
}
