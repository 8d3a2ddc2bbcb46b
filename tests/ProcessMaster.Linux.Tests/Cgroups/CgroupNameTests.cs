using ProcessMaster.Linux.Cgroups;

namespace ProcessMaster.Linux.Tests.Cgroups;

public class CgroupNameTests
{
    [Theory]
    [InlineData("../x", "starts with a dot")]
    [InlineData("a/b", "contains \"/\"")]
    [InlineData(".hidden", "starts with a dot")]
    [InlineData("", "is empty")]
    [InlineData("..", "starts with a dot")]
    [InlineData("a b", "contains \" \"")]
    [InlineData("web\n", "contains \"\\u000a\"")]
    [InlineData("cgroup.procs", "reserves")]
    [InlineData("caf\u00e9", "contains")]
    public void Validate_BadName_IsRefusedWithReason(string name, string reason)
    {
        string? problem = CgroupName.Validate(name);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TooLong_NamesTheLimit() =>
        Assert.Contains("the limit is 255", CgroupName.Validate(new string('a', 256)), StringComparison.Ordinal);

    [Theory]
    [InlineData("web")]
    [InlineData("pm-web.1_x")]
    [InlineData("A-Z.09")]
    [InlineData("run")]
    public void Validate_GoodName_IsAccepted(string name) => Assert.Null(CgroupName.Validate(name));
}
