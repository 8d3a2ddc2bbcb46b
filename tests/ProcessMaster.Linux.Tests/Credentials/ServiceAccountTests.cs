using ProcessMaster.Core.Config;
using ProcessMaster.Linux.Credentials;

namespace ProcessMaster.Linux.Tests.Credentials;

/// <summary>The account check the daemon gives the config parsers: the start's own resolution and text.</summary>
public class ServiceAccountTests
{
    [Theory]
    [InlineData("nobody", null)]
    [InlineData("nobody", "nogroup")]
    [InlineData("65534", "65534")]
    [InlineData("4000000", "4000000")] // a bare uid and gid without entries: what TryResolve accepts
    public void Check_ResolvableAccount_IsNoProblem(string user, string? group) => Assert.Null(ServiceAccount.Check(user, group));

    [Fact]
    public void Check_UnknownUser_IsAUserProblemWithTheStartsText()
    {
        AccountProblem? p = ServiceAccount.Check("pm-no-such-user-q7", null);
        Assert.Equal(new AccountProblem(false, "user \"pm-no-such-user-q7\" not found in the passwd database; create it or fix process.user"), p);
    }

    [Fact]
    public void Check_UnknownGroup_IsAGroupProblem()
    {
        AccountProblem? p = ServiceAccount.Check("nobody", "pm-no-such-group-q7");
        Assert.Equal(new AccountProblem(true, "group \"pm-no-such-group-q7\" not found in the group database; create it or fix process.group"), p);
    }

    [Fact]
    public void Check_BareUidWithoutGroup_IsAUserProblem()
    {
        AccountProblem? p = ServiceAccount.Check("4000000", null);
        Assert.False(p?.IsGroup);
        Assert.Contains("has no passwd entry", p?.Text, StringComparison.Ordinal);
    }
}
