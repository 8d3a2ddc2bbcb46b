namespace ProcessMaster.Core.Config.FileModel;

// File model of the master config: mutable, nullable DTOs that mirror the YAML one to one.
// Only the YamlDotNet static context (ConfigYamlContext) fills them; property names map to keys
// through UnderscoredNamingConvention (ConfigDirectory -> config_directory). The key tables used
// for unknown-key detection are derived from these same classes (see YamlSchema), so adding a
// property here is all it takes to add a key.

/// <summary>Root of <c>config.yaml</c>.</summary>
public sealed class MasterConfigFile
{
    public CgroupSection? Cgroup { get; set; }
    public UnixSocketSection? UnixSocket { get; set; }
    public MasterGlobalSection? Global { get; set; }
    public WebConsoleSection? WebConsole { get; set; }
    public Dictionary<string, AdminActionSection>? AdminActions { get; set; }
}

/// <summary><c>cgroup:</c></summary>
public sealed class CgroupSection
{
    public string? Root { get; set; }
    public string? Name { get; set; }
    public string? MemoryMax { get; set; }
    public string? MemorySwapMax { get; set; }
    public string? CpuMax { get; set; }
    public bool? SubtreeControlAllow { get; set; }
}

/// <summary><c>unix_socket:</c></summary>
public sealed class UnixSocketSection
{
    public string? Path { get; set; }
    public string? Owner { get; set; }
    public string? Group { get; set; }
    public string? Mode { get; set; }
}

/// <summary><c>global:</c> of the master config.</summary>
public sealed class MasterGlobalSection
{
    public string? ConfigDirectory { get; set; }
    public string? AutoServiceDirectory { get; set; }
    public string? User { get; set; }
    public string? Group { get; set; }
    public string? DefaultServiceUser { get; set; }
    public string? DefaultServiceGroup { get; set; }
    public bool? AllowProvisioningOutsideWorkingDirectory { get; set; }
    public bool? StopServicesOnShutdown { get; set; }
    public string? StateFile { get; set; }
    public string? FlagRulesFile { get; set; }
    public string? LogFile { get; set; }
}

/// <summary><c>web_console:</c></summary>
public sealed class WebConsoleSection
{
    public bool? Enabled { get; set; }
    public string? Bind { get; set; }
    public ulong? Port { get; set; }
    public bool? AllowPlaintextRemote { get; set; }
    public bool? MetricsAuth { get; set; }
    public string? IdleStop { get; set; }
    public TlsSection? Tls { get; set; }
    public AuthSection? Auth { get; set; }
}

/// <summary><c>web_console.tls:</c></summary>
public sealed class TlsSection
{
    public bool? Enabled { get; set; }
    public string? CaPem { get; set; }
    public string? ServerCertPem { get; set; }
    public string? ServerKeyPem { get; set; }
    public string? ClientHost { get; set; }
    public bool? Mtls { get; set; }
}

/// <summary><c>web_console.auth:</c></summary>
public sealed class AuthSection
{
    public BasicAuthSection? Basic { get; set; }
}

/// <summary><c>web_console.auth.basic:</c></summary>
public sealed class BasicAuthSection
{
    public List<string>? Users { get; set; }
}

/// <summary><c>admin_actions.&lt;id&gt;:</c></summary>
public sealed class AdminActionSection
{
    public string? Label { get; set; }
    public List<string>? Command { get; set; }
}
