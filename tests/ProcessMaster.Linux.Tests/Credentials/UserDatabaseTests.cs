using ProcessMaster.Linux.Credentials;

namespace ProcessMaster.Linux.Tests.Credentials;

public class UserDatabaseTests
{
    [Fact]
    public void TryResolve_Nobody_GetsExactlyNogroup()
    {
        Assert.True(UserDatabase.TryResolve("nobody", null, out UserCredentials? c, out string error), error);
        Assert.Equal(new UserCredentials(65534, 65534, [65534], "nobody", "/nonexistent", "/usr/sbin/nologin"), c);
    }

    [Fact]
    public void TryResolve_NumericIdOfNobody_ResolvesTheSameUser()
    {
        Assert.True(UserDatabase.TryResolve("65534", null, out UserCredentials? c, out _));
        Assert.Equal("nobody", c!.UserName);
    }

    [Fact]
    public void TryResolve_NobodyWithGroupRoot_HasOnlyThatGroupNeverRootsSupplementaryList()
    {
        Assert.True(UserDatabase.TryResolve("nobody", "root", out UserCredentials? c, out _));
        Assert.Equal(0u, c!.Gid);
        Assert.Equal([0u], c.Groups);
    }

    [Fact]
    public void TryResolve_Root_UsesInitgroupsSemantics()
    {
        Assert.True(UserDatabase.TryResolve("root", null, out UserCredentials? c, out _));
        Assert.Equal(0u, c!.Uid);
        Assert.Contains(0u, c.Groups);
        Assert.Equal("/root", c.Home);
    }

    [Theory]
    [InlineData("no-such-user-xyz", null, "user \"no-such-user-xyz\" not found in the passwd database; create it or fix process.user")]
    [InlineData("nobody", "no-such-group-xyz", "group \"no-such-group-xyz\" not found in the group database; create it or fix process.group")]
    [InlineData("", "nogroup", "group is set without user; specify both (or neither)")]
    [InlineData("4242420", null, "uid 4242420 has no passwd entry, so it has no primary group; set process.group too")]
    public void TryResolve_Bad_ExplainsTheFix(string user, string? group, string expected)
    {
        Assert.False(UserDatabase.TryResolve(user, group, out UserCredentials? c, out string error));
        Assert.Null(c);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryResolve_NumericUidWithoutEntryAndGroup_GetsOnlyThatGroup()
    {
        Assert.True(UserDatabase.TryResolve("4242420", "nogroup", out UserCredentials? c, out _));
        Assert.Equal(new UserCredentials(4242420, 65534, [65534], "4242420", "/", "/bin/sh"), c);
    }

    [Fact]
    public void FindGroup_ByNameAndId_Agree()
    {
        Assert.Equal(new GroupEntry("nogroup", 65534), UserDatabase.FindGroup("nogroup"));
        Assert.Equal(new GroupEntry("nogroup", 65534), UserDatabase.FindGroup("65534"));
        Assert.Null(UserDatabase.FindGroup("no-such-group-xyz"));
    }
}
