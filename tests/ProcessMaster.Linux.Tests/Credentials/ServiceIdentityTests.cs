using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Procfs;

namespace ProcessMaster.Linux.Tests.Credentials;

/// <summary>Whom a service runs as, for a root daemon and an unprivileged one; and reading a thread's credentials.</summary>
public class ServiceIdentityTests
{
    private static readonly DaemonIdentity Root = new(0, 0, [0], "root", "/root");
    private static readonly DaemonIdentity Nobody = new(65534, 65534, [65534], "nobody", "/nonexistent");

    [Fact]
    public void RootDaemon_NoUser_RunsAsRootWithoutSwitch()
    {
        Assert.True(ServiceIdentity.TryResolve(null, null, false, Root, out ServiceIdentity? id, out _));
        Assert.Equal((0u, 0u), (id!.Uid, id.Gid));
        Assert.Null(id.SwitchTo);
        Assert.Null(id.EnvironmentUser);
    }

    [Theory]
    [InlineData("root", null)]
    [InlineData("0", "0")]
    [InlineData("nobody", "root")]
    public void RootDaemon_RootTarget_RefusedWithoutOptIn_AcceptedWithIt(string user, string? group)
    {
        Assert.False(ServiceIdentity.TryResolve(user, group, false, Root, out _, out string error));
        Assert.Contains("set process.allow_root: true if it must run as root", error, StringComparison.Ordinal);
        Assert.True(ServiceIdentity.TryResolve(user, group, true, Root, out ServiceIdentity? id, out _));
        Assert.NotNull(id!.SwitchTo);
    }

    [Fact]
    public void RootDaemon_Nobody_SwitchesToExactlyNobody()
    {
        Assert.True(ServiceIdentity.TryResolve("nobody", null, false, Root, out ServiceIdentity? id, out _));
        Assert.Equal((65534u, 65534u), (id!.SwitchTo!.Uid, id.SwitchTo.Gid));
        Assert.Equal("uid 65534 gid 65534", id.ToString());
    }

    [Fact]
    public void UnprivilegedDaemon_OwnUser_NoSwitch_OtherUserOrGroupRefused()
    {
        Assert.True(ServiceIdentity.TryResolve("nobody", null, false, Nobody, out ServiceIdentity? own, out _));
        Assert.Null(own!.SwitchTo);
        Assert.Equal("nobody", own.EnvironmentUser!.UserName);
        Assert.True(ServiceIdentity.TryResolve(null, null, false, Nobody, out ServiceIdentity? implicitly, out _));
        Assert.Equal((65534u, "nobody"), (implicitly!.Uid, implicitly.EnvironmentUser!.UserName));

        Assert.False(ServiceIdentity.TryResolve("root", null, true, Nobody, out _, out string other));
        Assert.Equal("process.user \"root\" is uid 0, but the daemon runs as nobody (uid 65534, gid 65534) and can start services only as itself "
            + "(starting a service as another user needs root); remove process.user or set it to nobody", other);
        Assert.False(ServiceIdentity.TryResolve("nobody", "root", false, Nobody, out _, out string group));
        Assert.Contains("process.group \"root\" is gid 0, but the daemon runs as nobody", group, StringComparison.Ordinal);
    }

    [Fact]
    public void TaskCredentials_ParsesIdsGroupsAndCapabilities()
    {
        TaskCredentials t = TaskCredentials.Parse(7, "Name:\tx\nUid:\t65534\t65534\t65534\t65534\nGid:\t65534\t65534\t65534\t65534\nGroups:\t65534 \nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n");
        Assert.True(t.Is(65534, 65534, [65534]));
        Assert.False(t.Is(65534, 65534, [65534, 27]));
        TaskCredentials root = TaskCredentials.Parse(8, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t0 \nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n");
        Assert.False(root.Is(0, 0, [0]));
    }

    [Fact]
    public void TaskCredentials_OfEveryThread_SeesThisProcessAsItIs()
    {
        IReadOnlyList<TaskCredentials> threads = TaskCredentials.OfEveryThread();
        Assert.True(threads.Count > 1, "a .NET test host runs several threads");
        Assert.All(threads, t => Assert.Equal(4, t.Uids.Count));
    }
}
