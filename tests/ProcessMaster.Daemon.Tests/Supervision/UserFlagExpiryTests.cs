using ProcessMaster.Core.Flags;
using ProcessMaster.Daemon.Supervision;

namespace ProcessMaster.Daemon.Tests.Supervision;

/// <summary>User flags on a fake clock: all targets change or none, and flags expire by one deadline per service.</summary>
public sealed class UserFlagExpiryTests : IDisposable
{
    private readonly LoopFixture _loop = new();
    private readonly UserFlagExpiry _flags;

    public UserFlagExpiryTests() => _flags = new UserFlagExpiry(_loop.Clock, _loop.Deadlines, _loop.Journal, _loop.Changed);

    [Fact]
    public void Change_FlagWithTtl_ArmsTheExpiryDeadlineAndOnDueDropsIt()
    {
        ServiceSlot web = _loop.Slot("web");
        DateTimeOffset now = _loop.Clock.Now().Wall;

        UserFlagsOutcome outcome = _flags.Change([web], all: false, slot => UserFlags.Set(slot.UserFlags, ["canary"], now + TimeSpan.FromMinutes(10), now), "set canary");

        Assert.Null(outcome.Error);
        Assert.True(web.UserFlags.Contains("canary"));
        Assert.Equal(_loop.Clock.Mono() + TimeSpan.FromMinutes(10), _loop.Deadlines.DueAt(DeadlineKey.UserFlags("web")));

        _loop.Time.Advance(TimeSpan.FromMinutes(10));
        _flags.OnDue(web);

        Assert.False(web.UserFlags.Contains("canary"));
        Assert.Equal("user flag canary expired", _loop.Messages("web")[^1]);
        Assert.Null(_loop.Deadlines.DueAt(DeadlineKey.UserFlags("web")));
        Assert.Equal(2, _loop.Changes);
    }

    [Fact]
    public void Change_OneTargetRefuses_NoTargetChanges()
    {
        ServiceSlot a = _loop.Slot("a");
        ServiceSlot b = _loop.Slot("b");
        DateTimeOffset now = _loop.Clock.Now().Wall;

        UserFlagsOutcome outcome = _flags.Change([a, b], all: true,
            slot => slot.Name == "b" ? new UserFlagUpdate(slot.UserFlags, [], "too many flags") : UserFlags.Set(slot.UserFlags, ["x"], null, now), "set x");

        Assert.Equal("service b: too many flags; no service was changed", outcome.Error);
        Assert.False(a.UserFlags.Contains("x"));
        Assert.Equal(0, _loop.Changes);
        Assert.Empty(_loop.Messages("a"));
    }

    [Fact]
    public void Unset_FlagThatIsNotSet_ChangesNothingWorthSaving()
    {
        ServiceSlot web = _loop.Slot("web");
        DateTimeOffset now = _loop.Clock.Now().Wall;
        _flags.Change([web], all: false, slot => UserFlags.Set(slot.UserFlags, ["canary"], null, now), "set canary");
        Assert.Equal(1, _loop.Changes);

        UserFlagsOutcome absent = _flags.Change([web], all: false, slot => UserFlags.Unset(slot.UserFlags, ["beta"], now), "unset beta");
        Assert.Null(absent.Error);
        Assert.Equal(1, _loop.Changes);

        _flags.Change([web], all: false, slot => UserFlags.Unset(slot.UserFlags, ["canary"], now), "unset canary");
        Assert.Equal(2, _loop.Changes);
        Assert.False(web.UserFlags.Contains("canary"));
    }

    public void Dispose() => _loop.Dispose();
}
