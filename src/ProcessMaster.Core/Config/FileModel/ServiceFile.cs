namespace ProcessMaster.Core.Config.FileModel;

// File model of one service definition; see MasterConfigFile.cs for the conventions.

/// <summary>Root of a service definition file.</summary>
public sealed class ServiceFile
{
    public string? Application { get; set; }
    public ProcessSection? Process { get; set; }
    public LogsSection? Logs { get; set; }
    public ResourcesSection? Resources { get; set; }
    public RestartPolicySection? RestartPolicy { get; set; }
    public ServiceGlobalSection? Global { get; set; }
    public List<ProvisioningSection>? Provisioning { get; set; }
}

/// <summary><c>process:</c></summary>
public sealed class ProcessSection
{
    public string? WorkingDirectory { get; set; }
    public List<string>? StartCommand { get; set; }
    public List<string>? StopCommand { get; set; }
    public string? StopSignal { get; set; }
    public ulong? StopGracePeriodMs { get; set; }
    public string? Schedule { get; set; }
    public string? NotBefore { get; set; }
    public string? NotAfter { get; set; }
    public string? MaxTimePerRun { get; set; }
    public string? User { get; set; }
    public string? Group { get; set; }
    public bool? AllowRoot { get; set; }
    public List<EnvironmentSection>? Environment { get; set; }
    public bool? InheritEnvironment { get; set; }
    public string? Umask { get; set; }
    public bool? NoNewPrivileges { get; set; }
}

/// <summary><c>process.environment[]</c></summary>
public sealed class EnvironmentSection
{
    public string? Name { get; set; }
    public string? Value { get; set; }
}

/// <summary><c>logs:</c></summary>
public sealed class LogsSection
{
    public string? Stdout { get; set; }
    public string? Stderr { get; set; }
    public string? RotationMode { get; set; }
    public string? RotationSize { get; set; }
    public ulong? RotationBackups { get; set; }
    public string? RotationFrequency { get; set; }
    public ulong? RotationMaxAgeMs { get; set; }
    public bool? CompressionEnabled { get; set; }
    public string? StopCommandStdout { get; set; }
    public string? StopCommandStderr { get; set; }
    public List<string>? Hints { get; set; }
}

/// <summary><c>resources:</c></summary>
public sealed class ResourcesSection
{
    public string? MaxCpu { get; set; }
    public string? MaxMemory { get; set; }
    public string? MaxSwap { get; set; }
    public ulong? IoWeight { get; set; }
    public List<IoBandwidthSection>? IoBandwidth { get; set; }
    public string? MaxPids { get; set; }
}

/// <summary><c>resources.io_bandwidth[]</c></summary>
public sealed class IoBandwidthSection
{
    public string? Device { get; set; }
    public string? MaxReadBytesPerSecond { get; set; }
    public string? MaxWriteBytesPerSecond { get; set; }
    public ulong? MaxReadIops { get; set; }
    public ulong? MaxWriteIops { get; set; }
}

/// <summary><c>restart_policy:</c></summary>
public sealed class RestartPolicySection
{
    public string? Policy { get; set; }
    public ulong? RestartBackoffMs { get; set; }
    public ToleranceSection? Tolerance { get; set; }
}

/// <summary><c>restart_policy.tolerance:</c></summary>
public sealed class ToleranceSection
{
    public ulong? MaxRestarts { get; set; }
    public string? Duration { get; set; }
}

/// <summary><c>global:</c> of a service file.</summary>
public sealed class ServiceGlobalSection
{
    public bool? Enabled { get; set; }
}

/// <summary><c>provisioning[]</c></summary>
public sealed class ProvisioningSection
{
    public string? Path { get; set; }
    public OwnershipSection? Ownership { get; set; }
    public string? Mode { get; set; }
    public bool? AddNetBindCapability { get; set; }
}

/// <summary><c>provisioning[].ownership:</c></summary>
public sealed class OwnershipSection
{
    public string? Owner { get; set; }
    public string? Group { get; set; }
    public bool? Recursive { get; set; }
}
