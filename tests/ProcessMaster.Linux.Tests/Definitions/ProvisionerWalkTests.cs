using System.Runtime.Versioning;
using ProcessMaster.Linux.Definitions;

namespace ProcessMaster.Linux.Tests.Definitions;

/// <summary>
/// Provisioning does what it says (audit N-25, issue 14 item 8): a recursive chown stays on the inodes of the tree
/// (no hard-linked file, no other mount), and capabilities are set last and read back.
/// </summary>
[SupportedOSPlatform("linux")]
public class ProvisionerWalkTests
{
    [Fact]
    public void RecursiveChown_HardLinkedFile_SkippedAndReported_ItsOtherNameUntouched()
    {
        using var scratch = new ProvisionScratch();
        string canary = scratch.Canary("shadow");
        Directory.CreateDirectory(Path.Combine(scratch.Work, "data"));
        string link = Path.Combine(scratch.Work, "data", "innocent");
        ProvisionScratch.Run("/bin/ln", canary, link);
        File.WriteAllText(Path.Combine(scratch.Work, "data", "own"), "x");

        var applied = ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply("  - path: data\n    ownership: { owner: nobody, recursive: true }\n"));

        Assert.Equal("0:0", ProvisionScratch.OwnerOf(canary));
        Assert.Equal("65534:0", ProvisionScratch.OwnerOf(Path.Combine(scratch.Work, "data", "own")));
        Assert.Contains(applied.Actions, a => a.Contains($"skipped 1 file with more than one hard link ({link})", StringComparison.Ordinal));
    }

    [Fact]
    public void RecursiveChown_MountInsideTheTree_NotEnteredAndReported()
    {
        using var scratch = new ProvisionScratch();
        string mount = Path.Combine(scratch.Work, "data", "mnt");
        Directory.CreateDirectory(mount);
        ProvisionScratch.Run("/bin/mount", "-t", "tmpfs", "-o", "size=1m", "pm-test", mount);
        try
        {
            File.WriteAllText(Path.Combine(mount, "inside"), "x");

            var applied = ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply("  - path: data\n    ownership: { owner: nobody, recursive: true }\n"));

            Assert.Equal("0:0", ProvisionScratch.OwnerOf(Path.Combine(mount, "inside")));
            Assert.Equal("0:0", ProvisionScratch.OwnerOf(mount));
            Assert.Equal("65534:0", ProvisionScratch.OwnerOf(Path.Combine(scratch.Work, "data")));
            Assert.Contains(applied.Actions, a => a.Contains($"skipped 1 directory on another mount ({mount})", StringComparison.Ordinal));
        }
        finally
        {
            ProvisionScratch.Run("/bin/umount", mount);
        }
    }

    [Fact]
    public void SingleTarget_HardLinked_Refused_NothingChanged()
    {
        using var scratch = new ProvisionScratch();
        string canary = scratch.Canary("passwd");
        string link = Path.Combine(scratch.Work, "config");
        ProvisionScratch.Run("/bin/ln", canary, link);

        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply("  - path: config\n    mode: \"0666\"\n"));

        Assert.Contains($"{link}: has 2 hard links; refusing to change its mode, it may be a link to a file elsewhere", failed.Message, StringComparison.Ordinal);
        Assert.Equal("600", ProvisionScratch.ModeOf(canary));
        Assert.False(File.Exists(scratch.Marker));
    }

    [Fact]
    public void Setcap_ListedBeforeARecursiveChownOfItsTree_AppliedLastAndVerified()
    {
        using var scratch = new ProvisionScratch();
        Directory.CreateDirectory(Path.Combine(scratch.Work, "bin"));
        string binary = Path.Combine(scratch.Work, "bin", "server");
        File.Copy("/bin/true", binary);

        // Written in the "wrong" order: the chown would drop the capability if it ran after setcap.
        var applied = ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply(
            "  - path: ./bin/server\n    add_net_bind_capability: true\n  - path: .\n    ownership: { owner: nobody, recursive: true }\n"));

        Assert.Contains("cap_net_bind_service=ep", ProvisionScratch.Run("/usr/sbin/getcap", binary), StringComparison.Ordinal);
        int chown = applied.Actions.ToList().FindIndex(a => a.StartsWith("chown -R nobody", StringComparison.Ordinal));
        int setcap = applied.Actions.ToList().FindIndex(a => a.StartsWith("setcap ", StringComparison.Ordinal));
        int verified = applied.Actions.ToList().FindIndex(a => a.StartsWith($"verified security.capability of {binary}", StringComparison.Ordinal));
        Assert.True(chown >= 0 && chown < setcap && setcap < verified, string.Join('\n', applied.Actions));
    }

    [Fact]
    public void Setcap_ExitsZeroButSetsNothing_FailsOnTheReadBack()
    {
        using var scratch = new ProvisionScratch();
        string liar = Path.Combine(scratch.Root, "lying-setcap");
        File.WriteAllText(liar, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(liar, (UnixFileMode)Convert.ToInt32("755", 8));
        File.Copy("/bin/true", Path.Combine(scratch.Work, "server"));

        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply(
            "  - path: server\n    add_net_bind_capability: true\n", new ProvisioningOptions([liar], TimeSpan.FromSeconds(10))));

        Assert.Contains("exited 0, but reading the attribute back shows no security.capability attribute", failed.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.Marker));
    }

    [Theory]
    [InlineData(null, "no security.capability attribute")]
    [InlineData(new byte[] { 1, 0, 0, 2 }, "too short")]
    [InlineData(new byte[] { 1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, null)]
    [InlineData(new byte[] { 0, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "the effective flag is not set")]
    [InlineData(new byte[] { 1, 0, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "cap_net_bind_service is not in the permitted set")]
    [InlineData(new byte[] { 1, 0, 0, 9, 0, 4, 0, 0, 0, 0, 0, 0 }, "unknown security.capability revision 9")]
    public void FileCapability_VfsCapData_Decoded(byte[]? attribute, string? problem)
    {
        string? found = FileCapability.NetBindServiceProblem(attribute);
        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found, StringComparison.Ordinal);
    }
}
