using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Linux.Tests.Spawn;

public class SpawnEnvironmentTests
{
    [Fact]
    public void Clean_ForNobody_HasTheFiveVariablesAndOverrides()
    {
        Assert.True(UserDatabase.TryResolve("nobody", null, out UserCredentials? nobody, out _));
        IReadOnlyList<string> env = SpawnEnvironment.Clean(nobody, [new("HOME", "/srv"), new("A", "1")]);
        Assert.Equal(["A=1", "HOME=/srv", "LOGNAME=nobody", "PATH=" + SpawnEnvironment.DefaultPath, "SHELL=/bin/sh", "USER=nobody"], env);
    }

    [Theory]
    [InlineData("", "environment variable name is empty")]
    [InlineData("A=B", "contains \"=\"")]
    public void Clean_BadName_IsRefused(string name, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => SpawnEnvironment.Clean(null, [new(name, "x")]));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidates_PathSearchAndRelativeProgram() 
    {
        Assert.Equal(["/usr/bin/sh", "/bin/sh"], Spawner.Candidates("sh", ["PATH=/usr/bin:/bin"], "/tmp"));
        Assert.Equal(["/srv/app/run.sh"], Spawner.Candidates("./run.sh", [], "/srv/app"));
        Assert.Equal(["/srv/app/sh"], Spawner.Candidates("sh", ["PATH="], "/srv/app"));
    }
}
