using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// Deadlines far beyond what one .NET timer holds (2^32-2 ms, ~49.7 days): a cron job whose next run is half a
/// year away, a <c>not_before</c> in 2099, a 60-day flag TTL, a 50-day restart backoff. The daemon keeps them,
/// answers, and keeps them across a restart. Also <c>@yearly</c>, a <c>not_before</c> set through <c>pmctl update</c>, and a
/// 50-day stop grace period. Dates are computed from today, so the test means the same all year.
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
        _daemon.WriteService("annual", $$"""
            process:
              working_directory: {{_daemon.WorkDir("annual")}}
              start_command: ["/bin/true"]
              schedule: "@yearly"
            """);
        _daemon.WriteService("moved", $$"""
            process:
              working_directory: {{_daemon.WorkDir("moved")}}
              start_command: ["/bin/true"]
              schedule: "0 0 1 1 *"
            """);
        // A 50-day stop grace period: a service that ignores SIGTERM stays STOPPING for 50 days.
        _daemon.WriteService("slowstop", $$"""
            process:
              working_directory: {{_daemon.WorkDir("slowstop")}}
              start_command: ["/bin/sh", "-c", "trap '' TERM; while :; do sleep 1; done"]
              stop_grace_period_ms: 4320000000
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

        // A far not_before through update (it used to kill the daemon with FailFast).
        _daemon.WriteService("moved", $$"""
            process:
              working_directory: {{_daemon.WorkDir("moved")}}
              start_command: ["/bin/true"]
              schedule: "0 0 1 1 *"
              not_before: "2099-06-01"
            """);
        CommandResult update = await _daemon.PmctlAsync("update");
        Assert.True(update.ExitCode == 0, update.ToString());

        // The 50-day grace: the stop is begun (pmctl waits for the end, so it is not awaited) and stays STOPPING.
        await ServiceStatus.WaitAsync(_daemon, "slowstop", s => s.Running, TimeSpan.FromSeconds(30), "slowstop to run");
        Task<CommandResult> stop = _daemon.PmctlAsync("stop", "slowstop");
        await ServiceStatus.WaitAsync(_daemon, "slowstop", s => s.Phase == "STOPPING", TimeSpan.FromSeconds(30), "slowstop STOPPING with a 50-day grace");

        await AssertFarDeadlinesAsync(halfAYear);

        Assert.Equal(0, await _daemon.StopAsync());
        CommandResult waited = await stop; // ends with the daemon: its wait is not over, the stop is
        Assert.NotEqual(0, waited.ExitCode);
        Assert.Contains("the daemon is shutting down before this finished", waited.Stdout + waited.Stderr, StringComparison.Ordinal);
        await _daemon.StartAsync();

        await AssertFarDeadlinesAsync(halfAYear);
        Assert.Equal("STOPPING", (await ServiceStatus.ReadAsync(_daemon, "slowstop")).Phase);
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

        using JsonDocument annual = JsonDocument.Parse((await ServiceStatus.ReadAsync(_daemon, "annual")).Json);
        DateTime annualNext = DateTimeOffset.FromUnixTimeMilliseconds(annual.RootElement.GetProperty("next_run_at_ms").GetInt64()).LocalDateTime;
        Assert.Equal((1, 1, 0, 0), (annualNext.Month, annualNext.Day, annualNext.Hour, annualNext.Minute));
        Assert.Equal(DateTime.Now.Year + 1, annualNext.Year);

        using JsonDocument moved = JsonDocument.Parse((await ServiceStatus.ReadAsync(_daemon, "moved")).Json);
        DateTime notBefore = DateTimeOffset.FromUnixTimeMilliseconds(moved.RootElement.GetProperty("schedule_not_before_ms").GetInt64()).LocalDateTime;
        Assert.Equal(new DateTime(2099, 6, 1), notBefore);
        Assert.Equal(new DateTime(2100, 1, 1), DateTimeOffset.FromUnixTimeMilliseconds(moved.RootElement.GetProperty("next_run_at_ms").GetInt64()).LocalDateTime);

        Assert.Equal(2099, DateTimeOffset.FromUnixTimeMilliseconds(later.RootElement.GetProperty("schedule_not_before_ms").GetInt64()).LocalDateTime.Year);

        using JsonDocument steady = JsonDocument.Parse((await ServiceStatus.ReadAsync(_daemon, "steady")).Json);
        Assert.Contains("maint", steady.RootElement.GetProperty("user_flags").EnumerateArray().Select(f => f.GetString()));
        Assert.True(_daemon.Pid is not null, "the daemon exited\n" + _daemon.Log);
        Assert.DoesNotContain("internal error", _daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", _daemon.Log, StringComparison.Ordinal);
    }
}
