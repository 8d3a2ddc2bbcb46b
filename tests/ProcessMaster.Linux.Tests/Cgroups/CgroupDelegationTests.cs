using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Cgroups;

/// <summary>Created cgroups get 0755 whatever the umask; delegation hands over exactly what the kernel documents.</summary>
public class CgroupDelegationTests
{
    [Fact]
    public void CreateChild_Mode0755_OpenAndOpenOrCreateAlike()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode created = root.CreateChild("a");
        using CgroupNode opened = root.OpenOrCreateChild("b");
        Assert.Equal("0755", HostFiles.Stat(created.Path).Mode);
        Assert.Equal("0755", HostFiles.Stat(opened.Path).Mode);
    }

    [Fact]
    public void DelegateTo_MasterKeepsItsOwnLimits_ChildrenHandedOverWholly()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode master = root.CreateChild("pm");
        using CgroupNode app = master.CreateChild("pm-web");
        app.CreateChild("run").Dispose();

        int handed = master.DelegateTo(HostFiles.Nobody, HostFiles.Nobody);

        Assert.Equal(2, handed);
        foreach (string file in new[] { "", "cgroup.procs", "cgroup.threads", "cgroup.subtree_control" })
            Assert.Equal(HostFiles.Nobody, HostFiles.Stat(Path.Combine(master.Path, file)).Uid);
        foreach (string file in new[] { "cgroup.max.depth", "cgroup.max.descendants", "cgroup.kill", "cgroup.freeze" })
            Assert.Equal(0u, HostFiles.Stat(Path.Combine(master.Path, file)).Uid);
        foreach (string node in new[] { app.Path, Path.Combine(app.Path, "run") })
        {
            List<FileFacts> notHanded = [.. Directory.GetFileSystemEntries(node).Append(node).Select(HostFiles.Stat).Where(f => f.Uid != HostFiles.Nobody)];
            Assert.True(notHanded.Count == 0, "still root's: " + string.Join(", ", notHanded));
        }
    }
}
