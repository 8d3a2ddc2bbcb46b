using System.Diagnostics;
using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Definitions;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Linux.Tests.Definitions;

/// <summary>Provisioning on real files as root: marker semantics, ownership without following symlinks, mode, setcap.</summary>
public sealed class ProvisionerTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("pm-provision-");
    private readonly ChildProcessRegistry _children = new();

    private string Work => Path.Combine(_root.FullName, "work");

    public ProvisionerTests() => Directory.CreateDirectory(Work);

    public void Dispose() => _root.Delete(recursive: true);

    private ServiceDefinition Definition(string provisioning)
    {
        string yaml = $"process:\n  working_directory: {Work}\n  start_command: [\"/bin/true\"]\nprovisioning:\n{provisioning}";
        ConfigResult<ServiceDefinition> result = ServiceDefinitionParser.Parse(Path.Combine(_root.FullName, "svc.yaml"), yaml, new ServiceParseContext(null, "root", "root"));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Value!;
    }

    private string Marker => Path.Combine(Work, Provisioner.MarkerName);

    private static (uint Uid, uint Gid) Owner(string path)
    {
        var info = new ProcessStartInfo("stat", ["-c", "%u %g", path]) { RedirectStandardOutput = true };
        using Process stat = Process.Start(info)!;
        string[] parts = stat.StandardOutput.ReadToEnd().Trim().Split(' ');
        stat.WaitForExit();
        return (uint.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), uint.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Apply_Success_WritesTheMarkerAfterEveryEntry_AndSkipsNextTime()
    {
        ServiceDefinition definition = Definition("  - path: ./data\n    mode: \"0750\"\n");
        var applied = Assert.IsType<ProvisioningOutcome.Applied>(Provisioner.Apply(definition, _children, Now));
        Assert.Single(applied.Actions);
        Assert.Equal("provisioned_at_ms=1795000000000\n", File.ReadAllText(Marker));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(Path.Combine(Work, "data")));

        Directory.Delete(Path.Combine(Work, "data"));
        Assert.IsType<ProvisioningOutcome.Skipped>(Provisioner.Apply(definition, _children, Now));
        Assert.False(Directory.Exists(Path.Combine(Work, "data")));
    }

    [Fact]
    public void Apply_DanglingMarkerSymlink_CountsAsPresent()
    {
        File.CreateSymbolicLink(Marker, "/nonexistent/target");
        Assert.IsType<ProvisioningOutcome.Skipped>(Provisioner.Apply(Definition("  - path: ./data\n"), _children, Now));
        Assert.False(Directory.Exists(Path.Combine(Work, "data")));
    }

    [Fact]
    public void Apply_FailureMidList_LeavesNoMarker_AndNamesTheProblem()
    {
        ServiceDefinition definition = Definition("  - path: ./ok\n  - path: ./bin/missing\n    add_net_bind_capability: true\n");
        var failed = Assert.IsType<ProvisioningOutcome.Failed>(Provisioner.Apply(definition, _children, Now));
        Assert.Contains("does not exist (needed for setcap)", failed.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Marker));
    }

    [Fact]
    public void Apply_RecursiveChown_NeverFollowsASymlinkOut()
    {
        string outside = Path.Combine(_root.FullName, "root-owned.txt");
        File.WriteAllText(outside, "precious");
        Directory.CreateDirectory(Path.Combine(Work, "tree", "sub"));
        File.WriteAllText(Path.Combine(Work, "tree", "sub", "file.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(Work, "tree", "escape"), outside);

        ServiceDefinition definition = Definition("  - path: ./tree\n    ownership:\n      owner: nobody\n      group: nogroup\n      recursive: true\n");
        Assert.IsType<ProvisioningOutcome.Applied>(Provisioner.Apply(definition, _children, Now));

        Assert.Equal((0u, 0u), Owner(outside));
        Assert.Equal((65534u, 65534u), Owner(Path.Combine(Work, "tree")));
        Assert.Equal((65534u, 65534u), Owner(Path.Combine(Work, "tree", "sub", "file.txt")));
        var link = new ProcessStartInfo("stat", ["-c", "%u", Path.Combine(Work, "tree", "escape")]) { RedirectStandardOutput = true };
        using Process stat = Process.Start(link)!;
        Assert.Equal("65534", stat.StandardOutput.ReadToEnd().Trim()); // the link itself (lchown), not its target
    }

    [Fact]
    public void Apply_SymlinkedTarget_IsRefused()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "elsewhere"));
        Directory.CreateSymbolicLink(Path.Combine(Work, "data"), Path.Combine(_root.FullName, "elsewhere"));
        var failed = Assert.IsType<ProvisioningOutcome.Failed>(Provisioner.Apply(Definition("  - path: ./data\n    mode: \"0700\"\n"), _children, Now));
        Assert.Contains("symlink", failed.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Marker));
    }

    [Fact]
    public void Apply_UnknownOwner_FailsNamingIt()
    {
        var failed = Assert.IsType<ProvisioningOutcome.Failed>(Provisioner.Apply(
            Definition("  - path: .\n    ownership:\n      owner: no-such-user-pm\n"), _children, Now));
        Assert.Contains("no-such-user-pm", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NetBindCapability_SetsTheFileCapability()
    {
        Assert.True(File.Exists("/usr/sbin/getcap"), "getcap is missing: install libcap2-bin (build/test.sh does)");
        Directory.CreateDirectory(Path.Combine(Work, "bin"));
        File.Copy("/bin/true", Path.Combine(Work, "bin", "server"));
        Assert.IsType<ProvisioningOutcome.Applied>(Provisioner.Apply(Definition("  - path: ./bin/server\n    add_net_bind_capability: true\n"), _children, Now));

        var info = new ProcessStartInfo("/usr/sbin/getcap", [Path.Combine(Work, "bin", "server")]) { RedirectStandardOutput = true };
        using Process getcap = Process.Start(info)!;
        Assert.Contains("cap_net_bind_service=ep", getcap.StandardOutput.ReadToEnd(), StringComparison.Ordinal);
    }
}
