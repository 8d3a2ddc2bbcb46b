using System.Runtime.Versioning;
using ProcessMaster.Linux.Definitions;

namespace ProcessMaster.Linux.Tests.Definitions;

/// <summary><c>add_net_bind_capability</c>: needs setcap/getcap from libcap2-bin (the test script installs it).</summary>
[SupportedOSPlatform("linux")]
public class ProvisionerSetcapTests
{
    private const string Getcap = "/usr/sbin/getcap";

    [Fact]
    public void Setcap_CopiedBinary_GetcapShowsNetBindService()
    {
        RequireLibcap();
        using var scratch = new ProvisionScratch();
        Directory.CreateDirectory(Path.Combine(scratch.Work, "bin"));
        string binary = Path.Combine(scratch.Work, "bin/myserver");
        File.Copy("/bin/true", binary);

        var applied = ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply(
            "  - path: ./bin/myserver\n    mode: \"0755\"\n    add_net_bind_capability: true\n"));

        Assert.Contains($"setcap cap_net_bind_service=+ep {binary}", applied.Actions);
        Assert.Contains("cap_net_bind_service=ep", ProvisionScratch.Run(Getcap, binary), StringComparison.Ordinal);
        Assert.Equal("755", ProvisionScratch.ModeOf(binary));
        Assert.True(File.Exists(scratch.Marker));
    }

    [Fact]
    public void Setcap_Directory_RefusedAsNotARegularFile()
    {
        RequireLibcap();
        using var scratch = new ProvisionScratch();
        Directory.CreateDirectory(Path.Combine(scratch.Work, "bin"));

        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply("  - path: bin\n    add_net_bind_capability: true\n"));

        Assert.Contains($"target {Path.Combine(scratch.Work, "bin")} is not a regular file (a directory); setcap needs a program file", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setcap_Fails_MessageCarriesItsOutput()
    {
        RequireLibcap();
        using var scratch = new ProvisionScratch();
        string script = Path.Combine(scratch.Root, "fake-setcap");
        File.WriteAllText(script, "#!/bin/sh\necho \"Failed to set capabilities on file '$2' (Operation not supported)\" >&2\nexit 1\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        File.Copy("/bin/true", Path.Combine(scratch.Work, "server"));

        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply(
            "  - path: server\n    add_net_bind_capability: true\n", new ProvisioningOptions([script], TimeSpan.FromSeconds(10))));

        Assert.Contains("setcap cap_net_bind_service=+ep " + Path.Combine(scratch.Work, "server")
            + " failed with exit code 1: Failed to set capabilities on file './server' (Operation not supported)", failed.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.Marker));
    }

    [Fact]
    public void Setcap_Hangs_KilledAfterTimeout()
    {
        using var scratch = new ProvisionScratch();
        string script = Path.Combine(scratch.Root, "slow-setcap");
        File.WriteAllText(script, "#!/bin/sh\nexec sleep 30\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        File.Copy("/bin/true", Path.Combine(scratch.Work, "server"));

        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply(
            "  - path: server\n    add_net_bind_capability: true\n", new ProvisioningOptions([script], TimeSpan.FromMilliseconds(300))));

        Assert.Contains("did not finish within 0.3 s and was killed", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setcap_NotInstalled_NamesThePackage_BeforeAnythingChanges()
    {
        using var scratch = new ProvisionScratch();
        File.Copy("/bin/true", Path.Combine(scratch.Work, "server"));
        string mode = ProvisionScratch.ModeOf(scratch.Work);

        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply(
            "  - path: .\n    mode: \"0700\"\n  - path: server\n    add_net_bind_capability: true\n",
            new ProvisioningOptions(["/nonexistent/sbin/setcap"], TimeSpan.FromSeconds(10))));

        Assert.Contains("provisioning[1]", failed.Message, StringComparison.Ordinal);
        Assert.Contains("setcap not found (looked for /nonexistent/sbin/setcap); install the libcap2-bin package (apt-get install libcap2-bin)", failed.Message, StringComparison.Ordinal);
        Assert.Equal(mode, ProvisionScratch.ModeOf(scratch.Work));
    }

    /// <summary>A missing prerequisite fails with its reason, never passes silently (STYLE §12).</summary>
    private static void RequireLibcap()
    {
        foreach (string tool in new[] { "/usr/sbin/setcap", Getcap })
            Assert.True(File.Exists(tool), $"{tool} is missing: install the libcap2-bin package (apt-get install libcap2-bin)");
    }
}
