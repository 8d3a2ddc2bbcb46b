using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Packaging;

/// <summary>
/// packaging/processmaster.service: accepted by <c>systemd-analyze verify</c> without a single complaint (in a
/// scratch root holding the unit, an executable at its ExecStart path, /bin/kill and the system's own units), and
/// carrying the settings the promises rest on.
/// </summary>
public sealed class UnitFileTests
{
    private static readonly string Unit = Repository.PathOf("packaging/processmaster.service");

    [Fact]
    public async Task SystemdAnalyzeVerify_AcceptsTheUnit_WithoutAWord()
    {
        Assert.True(File.Exists("/usr/bin/systemd-analyze"), "systemd-analyze is missing: build/test.sh installs the systemd package");
        using var temp = new TempDirectory("pm-unit-");
        string root = temp.Path;
        Directory.CreateDirectory(Path.Combine(root, "lib/systemd/system"));
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "usr/lib/systemd"));
        File.Copy(Unit, Path.Combine(root, "lib/systemd/system/processmaster.service"));
        File.Copy("/bin/true", Path.Combine(root, "usr/bin/processmaster"));
        File.Copy("/bin/kill", Path.Combine(root, "bin/kill"));
        CommandResult copy = await CommandRun.RunAsync("cp", ["-a", "/usr/lib/systemd/system", Path.Combine(root, "usr/lib/systemd/")], TimeSpan.FromMinutes(2));
        Assert.True(copy.ExitCode == 0, copy.ToString());

        CommandResult verify = await CommandRun.RunAsync("systemd-analyze", ["verify", "--man=no", $"--root={root}", "processmaster.service"], TimeSpan.FromMinutes(2));
        Assert.True(verify.ExitCode == 0 && verify.Stdout.Length == 0 && verify.Stderr.Length == 0, verify.ToString());

        // The same check fails loudly on a broken unit (the test would notice a verify that checks nothing).
        File.AppendAllText(Path.Combine(root, "lib/systemd/system/processmaster.service"), "\n[Service]\nNoSuchKey=1\n");
        CommandResult broken = await CommandRun.RunAsync("systemd-analyze", ["verify", "--man=no", $"--root={root}", "processmaster.service"], TimeSpan.FromMinutes(2));
        Assert.Contains("Unknown key 'NoSuchKey'", broken.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Type", "notify")]
    [InlineData("KillMode", "process")]
    [InlineData("Delegate", "yes")]
    [InlineData("ExecReload", "/bin/kill -HUP $MAINPID")]
    [InlineData("ExecStart", "/usr/bin/processmaster -c /etc/processmaster/config.yaml")]
    [InlineData("WatchdogSec", "30s")]
    [InlineData("NotifyAccess", "main")]
    public void TheUnit_SaysWhatThePromisesNeed(string key, string value)
    {
        string[] lines = File.ReadAllLines(Unit);
        Assert.Contains($"{key}={value}", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("ProtectControlGroups=yes", StringComparison.Ordinal));
    }
}
