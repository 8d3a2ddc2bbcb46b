using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// Deadlines far beyond what one .NET timer holds (2^32-2 ms, ~49.7 days): a cron job whose next run is half a
/// year away, a <c>not_before</c> in 2099, a 60-day flag TTL, a 50-day restart backoff. The daemon keeps them,
/// answers, and keeps them across a restart. Dates are computed from today, so the test means the same all year.
/// </summary>
public sealed class FarDeadlineTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task FarDeadlines_DaemonRunsAndKeepsThemAcrossARestart()
    {
        DateTime halfAYear = DateTime.Now.AddMonths(6);
        string schedule = $"0 0 {Math.Min(halfAYear.Day, 28)} {halfAYear.Month} *";
        _daemon.WriteService("yearly", $$"""
            process:
              working_directory: {{_daemon.WorkDir("yearly")}}
              start_command: ["/bin/true"]
              schedule: "{{schedule}}"
            """);
        _daemon.WriteService("later", $$"""
            process:
              working_directory: {{_daemon.WorkDir("later")}}
              start_command: ["/bin/true"]
              schedule: "* * * * *"
              not_before: "2099-01-01"
            """);
        _daemon.WriteService("slowretry", $$"""
            process:
              working_directory: {{_daemon.WorkDir("slowretry")}}
              start_command: ["/bin/sh", "-c", "exit 3"]
            restart_policy:
              policy: always
              restart_backoff_ms: 4320000000
            """);
        _daemon.WriteService("steady", $$"""
            process:
              working_directory: {{_daemon.WorkDir("steady")}}
              start_command: ["/bin/sleep", "1000000"]
            """);
        await _daemon.StartAsync();

        await ServiceStatus.WaitAsync(_daemon, "slowretry", s => s.Phase == "BACKOFF", TimeSpan.FromSeconds(30), "BACKOFF with a 50-day backoff");
        ServiceStatus steady = await ServiceStatus.WaitAsync(_daemon, "steady", s => s.Running, TimeSpan.FromSeconds(30), "steady to run");
        CommandResult flag = await _daemon.PmctlAsync("flag", "steady", "maint", "--ttl", "60d");
        Assert.True(flag.ExitCode == 0, flag.ToString());

        await AssertFarDeadlinesAsync(halfAYear);

        Assert.Equal(0, await _daemon.StopAsync());
        await _daemon.StartAsync();

        await AssertFarDeadlinesAsync(halfAYear);
        ServiceStatus adopted = await ServiceStatus.ReadAsync(_daemon, "steady");
        Assert.Equal(steady.Pids, adopted.Pids);
        Assert.Equal("BACKOFF", (await ServiceStatus.ReadAsync(_daemon, "slowretry")).Phase);
    }

    private async Task AssertFarDeadlinesAsync(DateTime halfAYear)
    {
        using JsonDocument yearly = JsonDocument.Parse((await ServiceStatus.ReadAsync(_daemon, "yearly")).Json);
        long next = yearly.RootElement.GetProperty("next_run_at_ms").GetInt64();
        DateTime nextRun = DateTimeOffset.FromUnixTimeMilliseconds(next).LocalDateTime;
        Assert.Equal(halfAYear.Month, nextRun.Month);
        Assert.True(nextRun > DateTime.Now.AddDays(50), $"next run {nextRun:O}");

        using JsonDocument later = JsonDocument.Parse((await ServiceStatus.ReadAsync(_daemon, "later")).Json);
        long laterNext = later.RootElement.GetProperty("next_run_at_ms").GetInt64();
        Assert.Equal(2099, DateTimeOffset.FromUnixTimeMilliseconds(laterNext).LocalDateTime.Year);

        using JsonDocument steady = JsonDocument.Parse((await ServiceStatus.ReadAsync(_daemon, "steady")).Json);
        Assert.Contains("maint", steady.RootElement.GetProperty("user_flags").EnumerateArray().Select(f => f.GetString()));
        Assert.True(_daemon.Pid is not null, "the daemon exited\n" + _daemon.Log);
        Assert.DoesNotContain("internal error", _daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", _daemon.Log, StringComparison.Ordinal);
    }
}
