using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Definitions;

namespace ProcessMaster.Linux.Tests.Definitions;

[SupportedOSPlatform("linux")]
public class ProvisionerTests
{
    [Fact]
    public void Apply_NoEntries_Skipped()
    {
        using var scratch = new ProvisionScratch();
        var skipped = ProvisionScratch.Expect<ProvisioningOutcome.Skipped>(scratch.Apply("  []\n"));
        Assert.Equal("no provisioning entries", skipped.Reason);
        Assert.False(File.Exists(scratch.Marker));
    }

    [Fact]
    public void Apply_MarkerExists_SkippedAndNothingChanged()
    {
        using var scratch = new ProvisionScratch();
        File.WriteAllText(scratch.Marker, "provisioned_at_ms=1\n");
        string mode = ProvisionScratch.ModeOf(scratch.Work);
        var skipped = ProvisionScratch.Expect<ProvisioningOutcome.Skipped>(scratch.Apply("  - path: .\n    mode: \"0700\"\n  - path: new\n"));
        Assert.Equal($"marker {scratch.Marker} exists", skipped.Reason);
        Assert.Equal(mode, ProvisionScratch.ModeOf(scratch.Work));
        Assert.False(Directory.Exists(Path.Combine(scratch.Work, "new")));
        Assert.Equal("provisioned_at_ms=1\n", File.ReadAllText(scratch.Marker));
    }

    [Fact]
    public void Apply_MarkerIsDanglingSymlink_SkippedWithoutCreatingItsTarget()
    {
        using var scratch = new ProvisionScratch();
        string victim = Path.Combine(scratch.Outside, "created-by-marker");
        File.CreateSymbolicLink(scratch.Marker, victim);
        ProvisionScratch.Expect<ProvisioningOutcome.Skipped>(scratch.Apply("  - path: .\n    mode: \"0700\"\n"));
        Assert.False(File.Exists(victim));
        Assert.NotEqual("700", ProvisionScratch.ModeOf(scratch.Work));
    }

    [Fact]
    public void Apply_AllEntriesSucceed_MarkerWrittenWithTimestamp()
    {
        using var scratch = new ProvisionScratch();
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var applied = ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply("  - path: .\n    mode: \"0750\"\n"));
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal([$"chmod 0750 {scratch.Work}", $"wrote marker {scratch.Marker}"], applied.Actions);
        Match m = Regex.Match(File.ReadAllText(scratch.Marker), @"^provisioned_at_ms=(\d+)\n\z");
        Assert.True(m.Success, File.ReadAllText(scratch.Marker));
        Assert.InRange(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), before, after);
        Assert.False(new FileInfo(scratch.Marker).Attributes.HasFlag(FileAttributes.ReparsePoint));
        ProvisionScratch.Expect<ProvisioningOutcome.Skipped>(scratch.Apply("  - path: .\n    mode: \"0750\"\n"));
    }

    [Fact]
    public void Apply_FailureMidList_NoMarker_EarlierKept_LaterNotApplied()
    {
        using var scratch = new ProvisionScratch();
        string missing = Path.Combine(scratch.Work, "bin/server");
        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply(
            "  - path: first\n    mode: \"0700\"\n  - path: bin/server\n    add_net_bind_capability: true\n  - path: third\n"));
        Assert.Equal(
            $"service \"prov\": provisioning[1] ({missing}): target {missing} does not exist (needed for setcap); "
            + "install the program first or remove add_net_bind_capability; no marker written, the next reload of definitions retries",
            failed.Message);
        Assert.Equal("700", ProvisionScratch.ModeOf(Path.Combine(scratch.Work, "first")));
        Assert.False(Directory.Exists(Path.Combine(scratch.Work, "bin")));
        Assert.False(Directory.Exists(Path.Combine(scratch.Work, "third")));
        Assert.False(File.Exists(scratch.Marker));

        // Fixed, the next reload retries and writes the marker.
        Directory.CreateDirectory(Path.Combine(scratch.Work, "bin"));
        File.Copy("/bin/true", missing);
        ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply("  - path: first\n    mode: \"0700\"\n  - path: third\n"));
        Assert.True(File.Exists(scratch.Marker));
    }

    [Fact]
    public void Apply_MissingTarget_CreatedAsDirectories0755()
    {
        using var scratch = new ProvisionScratch();
        var applied = ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply("  - path: a/b/c\n"));
        foreach (string dir in new[] { "a", "a/b", "a/b/c" })
        {
            Assert.True(Directory.Exists(Path.Combine(scratch.Work, dir)), dir);
            Assert.Equal("755", ProvisionScratch.ModeOf(Path.Combine(scratch.Work, dir)));
            Assert.Contains($"created directory {Path.Combine(scratch.Work, dir)} (0755)", applied.Actions);
        }
    }

    [Fact]
    public void Apply_Mode_SetOnDirectoryAndFile()
    {
        using var scratch = new ProvisionScratch();
        string file = Path.Combine(scratch.Work, "run.sh");
        File.WriteAllText(file, "#!/bin/sh\n");
        ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply("  - path: .\n    mode: \"0750\"\n  - path: ./run.sh\n    mode: 755\n"));
        Assert.Equal("750", ProvisionScratch.ModeOf(scratch.Work));
        Assert.Equal("755", ProvisionScratch.ModeOf(file));
    }

    [Fact]
    public void Apply_UnknownOwner_FailsNamingIt_BeforeAnythingChanges()
    {
        using var scratch = new ProvisionScratch();
        string mode = ProvisionScratch.ModeOf(scratch.Work);
        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply(
            "  - path: .\n    mode: \"0700\"\n  - path: data\n    ownership: { owner: no-such-user-pm, recursive: true }\n"));
        Assert.Contains("provisioning[1]", failed.Message, StringComparison.Ordinal);
        Assert.Contains("owner \"no-such-user-pm\" not found in the passwd database; create the user or fix provisioning[1].ownership.owner", failed.Message, StringComparison.Ordinal);
        Assert.Equal(mode, ProvisionScratch.ModeOf(scratch.Work));
        Assert.False(Directory.Exists(Path.Combine(scratch.Work, "data")));
        Assert.False(File.Exists(scratch.Marker));
    }

    [Fact]
    public void Apply_UnknownGroup_FailsNamingIt()
    {
        using var scratch = new ProvisionScratch();
        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply("  - path: .\n    ownership: { group: no-such-group-pm }\n"));
        Assert.Contains("group \"no-such-group-pm\" not found in the group database; create the group or fix provisioning[0].ownership.group", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NumericIdsWithoutDatabaseEntry_Applied()
    {
        using var scratch = new ProvisionScratch();
        string file = Path.Combine(scratch.Work, "f");
        File.WriteAllText(file, "x");
        ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply("  - path: f\n    ownership: { owner: \"54321\", group: \"54322\" }\n"));
        Assert.Equal("54321:54322", ProvisionScratch.OwnerOf(file));
    }

    [Fact]
    public void Apply_NonRecursiveOwner_OnlyTargetChanged()
    {
        using var scratch = new ProvisionScratch();
        string inner = Path.Combine(scratch.Work, "data/inner");
        Directory.CreateDirectory(inner);
        ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply("  - path: data\n    ownership: { owner: nobody }\n"));
        Assert.Equal("65534:0", ProvisionScratch.OwnerOf(Path.Combine(scratch.Work, "data")));
        Assert.Equal("0:0", ProvisionScratch.OwnerOf(inner));
    }

    [Fact]
    public void Apply_TargetOutsideWorkingDirectory_CreatedFromRoot()
    {
        using var scratch = new ProvisionScratch();
        string target = Path.Combine(scratch.Outside, "shared/cache");
        ProvisionScratch.Expect<ProvisioningOutcome.Applied>(scratch.Apply($"  - path: \"{target}\"\n    mode: \"0770\"\n"));
        Assert.Equal("770", ProvisionScratch.ModeOf(target));
    }

    [Fact]
    public void Apply_MissingWorkingDirectory_FailsNamingIt()
    {
        using var scratch = new ProvisionScratch();
        var definition = scratch.Definition("  - path: .\n    mode: \"0700\"\n");
        Directory.Delete(scratch.Work);
        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(Provisioner.Apply(definition, scratch.Children));
        Assert.StartsWith($"service \"prov\": provisioning: working directory {scratch.Work}: open directory failed: No such file or directory", failed.Message, StringComparison.Ordinal);
        Assert.Contains("fix process.working_directory", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivilegeProblem_NotRoot_OwnershipOrCapabilityRefused_ModeAllowed()
    {
        using var scratch = new ProvisionScratch();
        var alice = new DaemonIdentity(1000, 1000, [1000], "alice", "/home/alice");
        var root = new DaemonIdentity(0, 0, [0], "root", "/root");
        Assert.Equal(
            "provisioning changes ownership or capabilities, which needs root, and the daemon runs as alice (uid 1000, gid 1000); "
            + "remove those entries (prepare the files once by hand), or run the daemon as root without global.user",
            Provisioner.PrivilegeProblem(scratch.Definition("  - path: .\n    ownership: { owner: nobody }\n"), alice));
        Assert.NotNull(Provisioner.PrivilegeProblem(scratch.Definition("  - path: x\n    add_net_bind_capability: true\n"), alice));
        Assert.Null(Provisioner.PrivilegeProblem(scratch.Definition("  - path: .\n    mode: \"0700\"\n"), alice));
        Assert.Null(Provisioner.PrivilegeProblem(scratch.Definition("  - path: .\n    ownership: { owner: nobody }\n"), root));
    }
}
