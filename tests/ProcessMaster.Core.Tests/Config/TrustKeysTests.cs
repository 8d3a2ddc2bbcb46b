using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

/// <summary>
/// The keys that decide who is trusted (audit N-01, N-14): <c>process.allow_root</c>, where provisioning may act,
/// and <c>resources.max_pids</c>.
/// </summary>
public class TrustKeysTests
{
    private const string AutoFile = "/srv/auto/api/service.yml";

    [Fact]
    public void AllowRoot_DefaultsToFalse_TrueWhenWritten()
    {
        Assert.False(Service("process: {user: root}\n", Context, AutoFile).Process.AllowRoot);
        Assert.True(Service("process: {user: root, allow_root: true}\n", Context, AutoFile).Process.AllowRoot);
    }

    [Theory]
    [InlineData("512", 512L)]
    [InlineData("1", 1L)]
    [InlineData("MAX", null)]
    [InlineData("max", null)]
    public void MaxPids_ValidValues(string text, long? expected)
    {
        ServiceDefinition s = Service($"process: {{}}\nresources:\n  max_pids: {text}\n", Context, AutoFile);
        Assert.Equal(expected, s.Resources.MaxPids);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("lots")]
    [InlineData("1.5")]
    public void MaxPids_InvalidValue_ErrorNamesKeyAndFix(string text)
    {
        ConfigResult<ServiceDefinition> r = ServiceDefinitionParser.Parse(AutoFile, $"process: {{}}\nresources:\n  max_pids: {text}\n", Context);
        ConfigError e = SingleError(r);
        Assert.Equal("resources.max_pids", e.KeyPath);
        Assert.Equal(3, e.Line);
        Assert.Contains($"max_pids \"{text}\" is not a number of processes", e.Problem, StringComparison.Ordinal);
        Assert.Contains("whole number of at least 1", e.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/shadow")]
    [InlineData("../other")]
    [InlineData("/srv")]
    public void Provisioning_TargetOutsideWorkingDirectory_RefusedWithTheOptIn(string target)
    {
        string yaml = $"process: {{}}\nprovisioning:\n  - path: {target}\n    mode: \"0600\"\n";
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(AutoFile, yaml, Context));
        Assert.Equal("provisioning[0].path", e.KeyPath);
        Assert.Contains("is outside the working directory /srv/auto/api; provisioning runs as root and is confined to the working directory", e.Problem, StringComparison.Ordinal);
        Assert.Contains("global.allow_provisioning_outside_working_directory: true", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Provisioning_TargetOutside_AcceptedWhenTheMasterOptsIn()
    {
        ServiceDefinition s = Service("process: {}\nprovisioning:\n  - path: /var/lib/api\n    ownership: {owner: nobody}\n",
            Context with { AllowProvisioningOutsideWorkingDirectory = true }, AutoFile);
        Assert.Equal("/var/lib/api", Assert.Single(s.Provisioning).Path);
    }

    [Theory]
    [InlineData("path: .\n    ownership: {owner: www-data, recursive: true}", "ownership.owner www-data")]
    [InlineData("path: .\n    mode: \"0775\"", "mode 0775")]
    [InlineData("path: ./service.yml\n    mode: \"0666\"", "mode 0666")]
    [InlineData("path: ./service.yml\n    ownership: {owner: \"65534\"}", "ownership.owner 65534")]
    public void Provisioning_HandsTheDefinitionToTheService_Refused(string entry, string what)
    {
        // An auto-service's working directory is the directory holding its service.yml (the shipped example's
        // `path: .` owner www-data made it the service's: audit N-01).
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(AutoFile, $"process: {{}}\nprovisioning:\n  - {entry}\n", Context));
        Assert.Equal("provisioning[0].path", e.KeyPath);
        Assert.Contains($"holds the definition {AutoFile}, and {what} would let someone other than root rewrite it", e.Problem, StringComparison.Ordinal);
        Assert.Contains("give the service a subdirectory of its own instead (e.g. path: ./data), and keep /srv/auto/api owned by root", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Provisioning_AncestorOfTheDefinitionChownedByTheOptIn_StillRefused()
    {
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(AutoFile, "process: {}\nprovisioning:\n  - path: /srv\n    ownership: {owner: nobody, recursive: true}\n",
            Context with { AllowProvisioningOutsideWorkingDirectory = true }));
        Assert.Contains("/srv holds the definition", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("path: ./data\n    ownership: {owner: www-data, recursive: true}")]
    [InlineData("path: .\n    mode: \"0755\"")]
    [InlineData("path: .\n    ownership: {owner: root, group: www-data}\n    mode: \"0750\"")]
    [InlineData("path: ./bin/api\n    add_net_bind_capability: true")]
    public void Provisioning_KeepsTheDefinitionRoots_Accepted(string entry)
    {
        ServiceDefinition s = Service($"process: {{}}\nprovisioning:\n  - {entry}\n", Context, AutoFile);
        Assert.Single(s.Provisioning);
    }

    [Fact]
    public void Provisioning_ConfigDirectoryDefinition_WorkingDirectoryElsewhere_OwnershipOfItAccepted()
    {
        ServiceDefinition s = Service("process:\n  working_directory: /opt/web\nprovisioning:\n  - path: .\n    ownership: {owner: www-data, recursive: true}\n", NoAutoDir);
        Assert.Equal("/opt/web", Assert.Single(s.Provisioning).Path);
    }
}
