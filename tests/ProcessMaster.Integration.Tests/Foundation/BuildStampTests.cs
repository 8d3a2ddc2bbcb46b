using System.Text.RegularExpressions;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Foundation;

/// <summary>The co-built stamp: one per build, the same in both binaries, different in another build.</summary>
public sealed partial class BuildStampTests
{
    [GeneratedRegex(@"^Process master \(built on \S+ at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC\)\.$")]
    private static partial Regex Banner();

    [Fact]
    public async Task Version_SameBuild_DaemonAndPmctlPrintTheSameStamp()
    {
        CommandResult daemon = await CommandRun.RunAsync(Repository.Daemon, ["--version"]);
        CommandResult pmctl = await CommandRun.RunAsync(Repository.Pmctl, ["version"]);
        Assert.True(daemon.ExitCode == 0, daemon.ToString());
        Assert.True(pmctl.ExitCode == 0, pmctl.ToString());
        Assert.Matches(Banner(), daemon.Stdout.Trim());
        Assert.Equal(daemon.Stdout, pmctl.Stdout);
    }

    [Fact]
    public async Task Version_AotPublish_DaemonAndPmctlPrintTheSameStamp()
    {
        string? aot = Environment.GetEnvironmentVariable("PROCESSMASTER_AOT_DIR");
        if (string.IsNullOrEmpty(aot))
            Assert.Skip("PROCESSMASTER_AOT_DIR is not set: build/test.sh publishes the NativeAOT binaries and sets it");
        CommandResult daemon = await CommandRun.RunAsync(Path.Combine(aot, "processmaster"), ["--version"]);
        CommandResult pmctl = await CommandRun.RunAsync(Path.Combine(aot, "pmctl"), ["version"]);
        Assert.True(daemon.ExitCode == 0, daemon.ToString());
        Assert.Matches(Banner(), daemon.Stdout.Trim());
        Assert.Equal(daemon.Stdout, pmctl.Stdout);
    }

    [Fact]
    public async Task Version_SecondBuild_PrintsAnotherStamp()
    {
        string second = await OtherBuild.PmctlAsync();
        CommandResult first = await CommandRun.RunAsync(Repository.Pmctl, ["version"]);
        CommandResult other = await CommandRun.RunAsync(second, ["version"]);
        Assert.Matches(Banner(), other.Stdout.Trim());
        Assert.NotEqual(first.Stdout, other.Stdout);
    }
}
