using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary>One <c>provisioning[]</c> entry, applied once per working directory (marker <c>.pm_provisioned</c>).</summary>
/// <param name="Path">Target; a relative path is resolved under the working directory.</param>
/// <param name="Owner">User name or uid to chown to; null = unchanged.</param>
/// <param name="Group">Group name or gid to chgrp to; null = unchanged.</param>
/// <param name="Recursive">chown the whole tree (symlinks not followed).</param>
/// <param name="Mode">chmod of the path itself; null = unchanged.</param>
/// <param name="AddNetBindCapability"><c>setcap cap_net_bind_service=+ep</c> on the target.</param>
public sealed record ProvisioningEntry(string Path, string? Owner, string? Group, bool Recursive, OctalMode? Mode, bool AddNetBindCapability);
