using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// What a service inherits from a root daemon (audit #13, #38, N-23): a clean environment without the daemon's
/// secrets, stdin on /dev/null, and no descriptor beyond 0, 1 and 2. Seen from /proc on the real service process.
/// </summary>
public sealed class ChildHygieneTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task DaemonWithSecretsInItsEnvironment_ServiceGetsACleanEnvironment_StdinDevNull_OnlyThreeFds()
    {
        _daemon.WriteService("clean", $$"""
            process:
              working_directory: {{_daemon.WorkDir("clean")}}
              user: nobody
              start_command: ["/bin/sleep", "100000"]
              environment:
                - { name: APP_PORT, value: "8080" }
            """);
        await _daemon.StartAsync(launcher: ["/usr/bin/env", "AWS_SECRET_ACCESS_KEY=daemon-secret", "VAULT_TOKEN=daemon-secret", "PATH=/daemon/only:/usr/bin:/bin"]);
        Assert.Contains("daemon-secret", await File.ReadAllTextAsync($"/proc/{_daemon.Pid}/environ", TestContext.Current.CancellationToken), StringComparison.Ordinal);

        ServiceStatus status = await ServiceStatus.WaitAsync(_daemon, "clean", s => s.Phase == "RUNNING" && s.Pids.Count > 0, TimeSpan.FromSeconds(30), "clean RUNNING");
        int pid = status.Pids[0];

        string[] environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ", TestContext.Current.CancellationToken)).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(environment, e => e.Contains("daemon-secret", StringComparison.Ordinal) || e.Contains("/daemon/only", StringComparison.Ordinal));
        Assert.Contains("APP_PORT=8080", environment);
        Assert.Contains("USER=nobody", environment);
        Assert.Contains(environment, e => e.StartsWith("PATH=", StringComparison.Ordinal));

        await SleepingChild.WaitAsync(pid, TimeSpan.FromSeconds(30));
        string[] fds = [.. Directory.GetFileSystemEntries($"/proc/{pid}/fd").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(["0", "1", "2"], fds);
        Assert.Equal("/dev/null", new FileInfo($"/proc/{pid}/fd/0").LinkTarget);
    }
}
