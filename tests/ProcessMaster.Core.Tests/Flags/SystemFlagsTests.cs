using ProcessMaster.Core.Flags;

namespace ProcessMaster.Core.Tests.Flags;

public class SystemFlagsTests
{
    [Fact]
    public void All_TwentyOneFlagsInDeclarationOrder()
    {
        Assert.Equal(
            "failed,backoff,outdated,user_stop,user_start,ot_killed,exit_ok,exit_err,dummy1,dummy2,dummy3,dummy4,dummy5,"
            + "dummy6,dummy7,dummy8,dummy9,dummy10,system_start,no_flag,flag_bug",
            string.Join(',', SystemFlags.All.Select(f => f.Name())));
    }

    [Fact]
    public void TryParse_RoundTripsEveryName_RejectsOthers()
    {
        foreach (var flag in SystemFlags.All)
        {
            Assert.True(SystemFlags.TryParse(flag.Name(), out var parsed));
            Assert.Equal(flag, parsed);
        }
        Assert.False(SystemFlags.TryParse("USER_STOP", out _));
        Assert.False(SystemFlags.TryParse("*", out _));
    }

    [Theory]
    [InlineData(SystemFlag.Failed, FlagScope.Stopped)]
    [InlineData(SystemFlag.Backoff, FlagScope.Stopped)]
    [InlineData(SystemFlag.OtKilled, FlagScope.Stopped)]
    [InlineData(SystemFlag.ExitOk, FlagScope.Stopped)]
    [InlineData(SystemFlag.ExitErr, FlagScope.Stopped)]
    [InlineData(SystemFlag.UserStop, FlagScope.Stopped)]
    [InlineData(SystemFlag.UserStart, FlagScope.Running)]
    [InlineData(SystemFlag.SystemStart, FlagScope.Running)]
    [InlineData(SystemFlag.Outdated, FlagScope.Both)]
    [InlineData(SystemFlag.Dummy7, FlagScope.Both)]
    [InlineData(SystemFlag.NoFlag, FlagScope.Both)]
    [InlineData(SystemFlag.FlagBug, FlagScope.Both)]
    public void Scope_MatchesTheOriginal(SystemFlag flag, FlagScope scope) => Assert.Equal(scope, flag.Scope());

    [Fact]
    public void Visible_FiltersByScopeInDisplayOrder()
    {
        var flags = FlagSet<SystemFlag>.Empty.Set(SystemFlag.SystemStart).Set(SystemFlag.ExitOk).Set(SystemFlag.Outdated).Set(SystemFlag.Dummy1);
        Assert.Equal([SystemFlag.Outdated, SystemFlag.ExitOk, SystemFlag.Dummy1], SystemFlags.Visible(flags, running: false));
        Assert.Equal([SystemFlag.Outdated, SystemFlag.Dummy1, SystemFlag.SystemStart], SystemFlags.Visible(flags, running: true));
    }
}
