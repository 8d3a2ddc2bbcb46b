using ProcessMaster.Core.Config;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

/// <summary>
/// <c>process.user</c>/<c>process.group</c> and the master's default service account are checked against the host
/// when the file loads (the daemon passes its user database; here a fake stands in), so --check reports what the
/// start would refuse.
/// </summary>
public class AccountCheckTests
{
    private const string Head = "process:\n  working_directory: /srv/x\n  start_command: [\"/bin/true\"]\n";

    /// <summary>Knows user "www" (and uid 0) and group "web".</summary>
    private static AccountProblem? Fake(string user, string? group) =>
        user is not ("www" or "0") ? new AccountProblem(false, $"user \"{user}\" not found in the passwd database; create it or fix process.user")
        : group is not (null or "web") ? new AccountProblem(true, $"group \"{group}\" not found in the group database; create it or fix process.group")
        : null;

    private static readonly ServiceParseContext Checked = Context with { Accounts = Fake };

    [Fact]
    public void Parse_UnknownUser_IsAProblemAtProcessUser()
    {
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(ServiceFile, Head + "  user: bob\n", Checked));
        Assert.Equal("process.user", e.KeyPath);
        Assert.Equal(4, e.Line);
        Assert.Equal("cannot run as user \"bob\": user \"bob\" not found in the passwd database", e.Problem);
        Assert.Equal("create it or fix process.user", e.Fix);
    }

    [Fact]
    public void Parse_UnknownGroup_IsAProblemAtProcessGroup()
    {
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(ServiceFile, Head + "  user: www\n  group: nogroup-x\n", Checked));
        Assert.Equal("process.group", e.KeyPath);
        Assert.Equal(5, e.Line);
        Assert.Equal("cannot run as user \"www\": group \"nogroup-x\" not found in the group database", e.Problem);
    }

    [Fact]
    public void Parse_KnownAccount_IsAccepted()
    {
        Assert.Equal("www", Service(Head + "  user: www\n  group: web\n", Checked).Process.User);
    }

    [Fact]
    public void Parse_WithoutAnAccountCheck_NamesAreNotLookedUp()
    {
        Assert.Equal("bob", Service(Head + "  user: bob\n").Process.User);
    }

    [Fact]
    public void Master_UnknownDefaultServiceUser_IsAProblemAtThatKeyNamingIt()
    {
        const string yaml = "global:\n  config_directory: x\n  default_service_user: bob\n  default_service_group: web\n";
        ConfigError e = SingleError(MasterConfigParser.Parse(MasterFile, yaml, Fake));
        Assert.Equal("global.default_service_user", e.KeyPath);
        Assert.Equal(3, e.Line);
        Assert.Equal("auto-services cannot run as user \"bob\": user \"bob\" not found in the passwd database", e.Problem);
        Assert.Equal("create it or fix global.default_service_user", e.Fix);
    }

    [Fact]
    public void Master_UnknownDefaultServiceGroup_IsAProblemAtThatKey()
    {
        const string yaml = "global:\n  config_directory: x\n  default_service_user: www\n  default_service_group: staff\n";
        ConfigError e = SingleError(MasterConfigParser.Parse(MasterFile, yaml, Fake));
        Assert.Equal("global.default_service_group", e.KeyPath);
        Assert.Equal("create it or fix global.default_service_group", e.Fix);
    }
}
