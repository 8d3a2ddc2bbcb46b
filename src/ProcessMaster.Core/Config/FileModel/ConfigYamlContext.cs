using YamlDotNet.Serialization;

namespace ProcessMaster.Core.Config.FileModel;

/// <summary>
/// Source-generated YamlDotNet context for the file model (NativeAOT-clean: no reflection).
/// Every DTO type, including nested sections, is listed.
/// </summary>
[YamlStaticContext]
[YamlSerializable(typeof(MasterConfigFile))]
[YamlSerializable(typeof(CgroupSection))]
[YamlSerializable(typeof(UnixSocketSection))]
[YamlSerializable(typeof(MasterGlobalSection))]
[YamlSerializable(typeof(WebConsoleSection))]
[YamlSerializable(typeof(TlsSection))]
[YamlSerializable(typeof(AuthSection))]
[YamlSerializable(typeof(BasicAuthSection))]
[YamlSerializable(typeof(AdminActionSection))]
[YamlSerializable(typeof(ServiceFile))]
[YamlSerializable(typeof(ProcessSection))]
[YamlSerializable(typeof(EnvironmentSection))]
[YamlSerializable(typeof(LogsSection))]
[YamlSerializable(typeof(ResourcesSection))]
[YamlSerializable(typeof(IoBandwidthSection))]
[YamlSerializable(typeof(RestartPolicySection))]
[YamlSerializable(typeof(ToleranceSection))]
[YamlSerializable(typeof(ServiceGlobalSection))]
[YamlSerializable(typeof(ProvisioningSection))]
[YamlSerializable(typeof(OwnershipSection))]
public sealed partial class ConfigYamlContext : StaticContext
{
}
