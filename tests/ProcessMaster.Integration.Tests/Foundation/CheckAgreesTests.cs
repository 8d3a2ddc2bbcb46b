using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Foundation;

/// <summary>
/// <c>--check</c> agrees with the daemon (issue 14, item 4): a definition the daemon refuses at load (an unknown
/// service user or group) is a problem for <c>--check</c> too, with the same text, next to a definition that loads.
/// </summary>
public sealed class CheckAgreesTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task UnknownServiceUserAndGroup_CheckAndDaemonReportTheSameProblem_OtherServicesRun()
    {
        _daemon.WriteService("nouser", $$"""
            process:
              working_directory: {{_daemon.WorkDir("nouser")}}
              start_command: ["/bin/sleep", "100000"]
              user: pm-no-such-user-c4
            """);
        _daemon.WriteService("nogroup", $$"""
            process:
              working_directory: {{_daemon.WorkDir("nogroup")}}
              start_command: ["/bin/sleep", "100000"]
              user: nobody
              group: pm-no-such-group-c4
            """);
        _daemon.WriteService("fine", $$"""
            process:
              working_directory: {{_daemon.WorkDir("fine")}}
              start_command: ["/bin/sleep", "100000"]
              user: nobody
            """);

        CommandResult check = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", _daemon.ConfigPath]);
        Assert.True(check.ExitCode == 1, check.ToString());
        string userProblem = ProblemLine(check.Stderr, "pm-no-such-user-c4");
        string groupProblem = ProblemLine(check.Stderr, "pm-no-such-group-c4");
        Assert.DoesNotContain("fine.yaml", check.Stderr, StringComparison.Ordinal);

        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "fine", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "fine RUNNING");
        Assert.Equal(1, (await _daemon.PmctlAsync("status", "nouser")).ExitCode);
        Assert.Equal(1, (await _daemon.PmctlAsync("status", "nogroup")).ExitCode);
        Assert.Contains(Core(userProblem), _daemon.Log, StringComparison.Ordinal);
        Assert.Contains(Core(groupProblem), _daemon.Log, StringComparison.Ordinal);
    }

    private static string ProblemLine(string stderr, string needle) =>
        stderr.Split('\n').FirstOrDefault(l => l.Contains(needle, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"--check did not report {needle}:\n{stderr}");

    /// <summary>The problem after "FILE:LINE:COL: " (the daemon journals the same text after its own prefix).</summary>
    private static string Core(string line)
    {
        int key = line.IndexOf(": process.", StringComparison.Ordinal);
        return key >= 0 ? line[(key + 2)..].Trim() : line.Trim();
    }
}
