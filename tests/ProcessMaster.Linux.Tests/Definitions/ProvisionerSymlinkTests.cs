using System.Runtime.Versioning;
using ProcessMaster.Linux.Definitions;

namespace ProcessMaster.Linux.Tests.Definitions;

/// <summary>Audit #4, #26, R-03: provisioning never changes anything through a symlink.</summary>
[SupportedOSPlatform("linux")]
public class ProvisionerSymlinkTests
{
    [Fact]
    public void RecursiveChown_TreeWithSymlinksOut_OutsideUnchanged_LinksAndRealEntriesChowned()
    {
        using var scratch = new ProvisionScratch();
        string secret = scratch.Canary("shadowlike");
        string outsideDir = Path.Combine(scratch.Outside, "dir");
        Directory.CreateDirectory(outsideDir);
        string outsideFile = Path.Combine(outsideDir, "f1");
        File.WriteAllText(outsideFile, "x");
        string data = Path.Combine(scratch.Work, "data");
        Directory.CreateDirectory(Path.Combine(data, "sub/deeper"));
        File.WriteAllText(Path.Combine(data, "f1"), "x");
        File.WriteAllText(Path.Combine(data, "sub/deeper/f2"), "x");
        File.CreateSymbolicLink(Path.Combine(data, "link"), secret);
        File.CreateSymbolicLink(Path.Combine(data, "sub/dirlink"), outsideDir);

        var applied = ProvisionScratch.Expect<ProvisioningOutcome.Applied>(
            scratch.Apply("  - path: data\n    ownership: { owner: nobody, group: nogroup, recursive: true }\n"));

        Assert.Contains($"chown -R nobody:nogroup {data} (7 entries, symlinks not followed)", applied.Actions);
        foreach (string entry in new[] { "", "f1", "sub", "sub/deeper", "sub/deeper/f2", "link", "sub/dirlink" })
            Assert.True(ProvisionScratch.OwnerOf(Path.Combine(data, entry)) == "65534:65534", $"{entry} not chowned");
        Assert.Equal("0:0", ProvisionScratch.OwnerOf(secret));
        Assert.Equal("600", ProvisionScratch.ModeOf(secret));
        Assert.Equal("0:0", ProvisionScratch.OwnerOf(outsideDir));
        Assert.Equal("0:0", ProvisionScratch.OwnerOf(outsideFile));
        Assert.Equal("0:0", ProvisionScratch.OwnerOf(scratch.Work));
    }

    [Fact]
    public void SymlinkedTarget_Refused_VictimUnchanged_NoMarker()
    {
        using var scratch = new ProvisionScratch();
        string victim = scratch.Canary("shadowlike");
        Directory.CreateDirectory(Path.Combine(scratch.Work, "bin"));
        string link = Path.Combine(scratch.Work, "bin/myserver");
        File.CreateSymbolicLink(link, victim);

        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply(
            "  - path: ./bin/myserver\n    mode: \"0755\"\n    ownership: { owner: nobody }\n    add_net_bind_capability: true\n"));

        Assert.Contains($"target {link} is a symlink; refusing to provision through it", failed.Message, StringComparison.Ordinal);
        Assert.Equal("0:0", ProvisionScratch.OwnerOf(victim));
        Assert.Equal("600", ProvisionScratch.ModeOf(victim));
        Assert.Equal("", ProvisionScratch.Run("/usr/sbin/getcap", victim).Trim());
        Assert.False(File.Exists(scratch.Marker));
    }

    [Fact]
    public void SymlinkedDirectoryTarget_RecursiveChownRefused_OutsideTreeUnchanged()
    {
        using var scratch = new ProvisionScratch();
        string outsideDir = Path.Combine(scratch.Outside, "dir");
        Directory.CreateDirectory(outsideDir);
        File.WriteAllText(Path.Combine(outsideDir, "f1"), "x");
        File.CreateSymbolicLink(Path.Combine(scratch.Work, "data"), outsideDir);

        ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply("  - path: data\n    ownership: { owner: nobody, recursive: true }\n    mode: \"0777\"\n"));

        Assert.Equal("0:0", ProvisionScratch.OwnerOf(outsideDir));
        Assert.Equal("0:0", ProvisionScratch.OwnerOf(Path.Combine(outsideDir, "f1")));
        Assert.Equal("755", ProvisionScratch.ModeOf(outsideDir));
    }

    [Fact]
    public void SymlinkInPathBelowWorkingDirectory_Refused_NothingCreatedOutside()
    {
        using var scratch = new ProvisionScratch();
        string outsideDir = Path.Combine(scratch.Outside, "dir");
        Directory.CreateDirectory(outsideDir);
        string var = Path.Combine(scratch.Work, "var");
        File.CreateSymbolicLink(var, outsideDir);

        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply("  - path: ./var/data\n    ownership: { owner: nobody, recursive: true }\n"));

        Assert.Contains($"path component {var} is a symlink; provisioning never follows symlinks; point path at the real location", failed.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outsideDir));
        Assert.Equal("0:0", ProvisionScratch.OwnerOf(outsideDir));
    }

    [Fact]
    public void SymlinkInPathOutsideWorkingDirectory_Refused()
    {
        using var scratch = new ProvisionScratch();
        string real = Path.Combine(scratch.Outside, "real");
        Directory.CreateDirectory(real);
        string alias = Path.Combine(scratch.Outside, "alias");
        Directory.CreateSymbolicLink(alias, real);

        var failed = ProvisionScratch.Expect<ProvisioningOutcome.Failed>(scratch.Apply($"  - path: \"{alias}/cache\"\n"));

        Assert.Contains($"path component {alias} is a symlink", failed.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(real));
    }

    [Fact]
    public void RecursiveChown_DirectorySwappedForSymlinkDuringWalk_NothingOutsideChanges()
    {
        using var scratch = new ProvisionScratch();
        string outsideDir = Path.Combine(scratch.Outside, "dir");
        Directory.CreateDirectory(outsideDir);
        for (int i = 0; i < 20; i++) File.WriteAllText(Path.Combine(outsideDir, $"f{i}"), "x");
        for (int i = 0; i < 200; i++) Directory.CreateDirectory(Path.Combine(scratch.Work, $"d{i}/inner"));
        var definition = scratch.Definition("  - path: .\n    ownership: { owner: nobody, group: nogroup, recursive: true }\n");
        bool stop = false;
        var swapper = new Thread(() =>
        {
            // What audit T-26 does as the service user: mv d d.x; ln -s /outside/dir d; rm d; mv d.x d.
            for (int n = 0; !Volatile.Read(ref stop); n = (n + 1) % 200)
            {
                string d = Path.Combine(scratch.Work, $"d{n}");
                Directory.Move(d, d + ".x");
                Directory.CreateSymbolicLink(d, outsideDir);
                File.Delete(d);
                Directory.Move(d + ".x", d);
            }
        });
        swapper.Start();
        int applied = 0;
        for (int run = 0; run < 40; run++)
        {
            File.Delete(scratch.Marker);
            if (Provisioner.Apply(definition, scratch.Children) is ProvisioningOutcome.Applied) applied++;
        }

        Volatile.Write(ref stop, true);
        swapper.Join();
        Assert.True(applied > 0, "no provisioning run completed while the swapper ran");
        Assert.Equal("0:0", ProvisionScratch.OwnerOf(outsideDir));
        foreach (string file in Directory.GetFiles(outsideDir))
            Assert.Equal("0:0", ProvisionScratch.OwnerOf(file));
    }
}
