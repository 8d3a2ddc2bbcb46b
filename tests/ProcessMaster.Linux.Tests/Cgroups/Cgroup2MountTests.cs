using ProcessMaster.Linux.Cgroups;

namespace ProcessMaster.Linux.Tests.Cgroups;

public class Cgroup2MountTests
{
    private const string Hybrid = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw
        42 31 0:39 / /mnt/my\040cgroups rw,relatime - cgroup2 none rw
        """;

    [Fact]
    public void ParseMountPoints_HybridTable_FindsCgroup2MountsWithOptionalFieldsAndEscapes() =>
        Assert.Equal(["/sys/fs/cgroup/unified", "/mnt/my cgroups"], Cgroup2Mount.ParseMountPoints(Hybrid));

    [Fact]
    public void ParseMountPoints_PureV2_FindsSysFsCgroup() =>
        Assert.Equal(["/sys/fs/cgroup"], Cgroup2Mount.ParseMountPoints("25 1 0:23 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"));

    [Fact]
    public void TryFind_ThisMachine_ReturnsAMountThatIsCgroup2()
    {
        string? mount = Cgroup2Mount.TryFind();
        Assert.NotNull(mount);
        Assert.True(Cgroup2Mount.IsCgroup2(mount), $"{mount} should have the cgroup2 statfs magic");
    }

    [Fact]
    public void IsCgroup2_OtherFileSystem_IsFalse() => Assert.False(Cgroup2Mount.IsCgroup2("/tmp"));

    [Fact]
    public void Open_NotACgroup2Directory_ThrowsWithTheFix()
    {
        var e = Assert.Throws<LinuxException>(() => CgroupNode.Open("/tmp"));
        Assert.Contains("/tmp", e.Message, StringComparison.Ordinal);
        Assert.Contains("point cgroup.root at the cgroup2 mount", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RelativePath_IsRefused() =>
        Assert.Throws<ArgumentException>(() => CgroupNode.Open("sys/fs/cgroup"));
}
