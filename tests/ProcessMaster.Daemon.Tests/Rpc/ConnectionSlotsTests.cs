using ProcessMaster.Daemon.Rpc;

namespace ProcessMaster.Daemon.Tests.Rpc;

public class ConnectionSlotsTests
{
    private static RpcCaller Uid(int uid) => new("unix", 1000 + uid, uid, uid);

    private static ConnectionSlots Slots(int total = 10, int reserved = 3, int perUid = 4) => new(total, reserved, perUid, uid => uid is 0 or 999);

    [Fact]
    public void OneUser_IsCappedPerUid_WithAMessageNamingIt()
    {
        ConnectionSlots slots = Slots();
        for (int i = 0; i < 4; i++) Assert.True(slots.TryTake(Uid(65534), out _, out _));
        Assert.False(slots.TryTake(Uid(65534), out IDisposable? lease, out string refusal));
        Assert.Null(lease);
        Assert.Equal("too many connections from uid 65534 (limit 4 per user); close some (each `pmctl logs -f` holds one) and try again", refusal);
        Assert.True(slots.TryTake(Uid(1001), out _, out _), "another user still gets in");
    }

    [Fact]
    public void ManyUsers_CannotTakeTheReservedSlots_RootAndTheDaemonsUserStillCan()
    {
        ConnectionSlots slots = Slots();
        for (int uid = 2000; uid < 2007; uid++) Assert.True(slots.TryTake(Uid(uid), out _, out _));
        Assert.False(slots.TryTake(Uid(2007), out _, out string refusal));
        Assert.Equal("too many connections (limit 10, of which 3 are kept for root); try again shortly", refusal);
        Assert.True(slots.TryTake(Uid(0), out _, out _));
        Assert.True(slots.TryTake(Uid(999), out _, out _));
        Assert.True(slots.TryTake(Uid(0), out _, out _));
        Assert.False(slots.TryTake(Uid(0), out _, out string full));
        Assert.Equal("too many connections (limit 10); try again shortly", full);
    }

    [Fact]
    public void Release_ReturnsTheSlot_Once()
    {
        ConnectionSlots slots = Slots(perUid: 1);
        Assert.True(slots.TryTake(Uid(5), out IDisposable? lease, out _));
        Assert.False(slots.TryTake(Uid(5), out _, out _));
        lease!.Dispose();
        lease.Dispose();
        Assert.Equal(0, slots.InUse);
        Assert.True(slots.TryTake(Uid(5), out _, out _));
    }

    [Fact]
    public void PeerWithoutCredentials_CountsAsOneUnprivilegedUser()
    {
        ConnectionSlots slots = Slots(perUid: 1);
        Assert.True(slots.TryTake(new RpcCaller("unix"), out _, out _));
        Assert.False(slots.TryTake(new RpcCaller("unix"), out _, out string refusal));
        Assert.StartsWith("too many connections from peers without credentials", refusal, StringComparison.Ordinal);
    }
}
