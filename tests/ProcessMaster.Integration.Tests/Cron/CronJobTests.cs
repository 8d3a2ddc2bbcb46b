using System.Globalization;
using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Cron;

/// <summary>Cron jobs on a real daemon: standard cron with seconds, no overlap, run window, overtime stop.</summary>
public sealed class CronJobTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task EveryTwoSeconds_RunsOnEvenSeconds_OncePerOccurrence()
    {
        string work = _daemon.WorkDir("stamp");
        string stamps = Path.Combine(work, "stamps.txt");
        _daemon.WriteService("stamp", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "date +%s >> stamps.txt"]
              schedule: "*/2 * * * * *"
            """);
        await _daemon.StartAsync();
        await DaemonInstance.WaitUntilAsync(() => DueTimes().Count >= 5 && File.Exists(stamps) && File.ReadAllLines(stamps).Length >= 5, TimeSpan.FromSeconds(60), "five runs");

        // The daemon's decisions are exact: every occurrence on an even second, each once, none left out unless logged
        // as skipped (a run still in progress on a loaded machine). When the job itself starts is up to the machine.
        IReadOnlyList<DateTime> due = DueTimes();
        Assert.All(due, d => Assert.Equal(0, d.Second % 2));
        for (int i = 1; i < due.Count; i++)
        {
            Assert.True(due[i] > due[i - 1], $"{due[i]:HH:mm:ss} after {due[i - 1]:HH:mm:ss}");
            for (DateTime missing = due[i - 1].AddSeconds(2); missing < due[i]; missing = missing.AddSeconds(2))
                Assert.Contains($"app=stamp run due at {missing:yyyy-MM-dd HH:mm:ss} skipped", _daemon.Log, StringComparison.Ordinal);
        }
        long firstStamp = long.Parse(File.ReadAllLines(stamps)[0], CultureInfo.InvariantCulture);
        Assert.True(firstStamp >= new DateTimeOffset(due[0]).ToUnixTimeSeconds(), "the first run started before it was due");
    }

    /// <summary>The occurrences the daemon fired, from its "run due at" events (skips excluded).</summary>
    private List<DateTime> DueTimes() =>
        [.. _daemon.Log.Split('\n')
            .Select(l => l.IndexOf("app=stamp run due at ", StringComparison.Ordinal) is var at and >= 0 && !l.Contains("skipped", StringComparison.Ordinal)
                ? l.Substring(at + "app=stamp run due at ".Length, 19) : null)
            .OfType<string>()
            .Select(t => DateTime.ParseExact(t, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))];

    [Fact]
    public async Task SlowJobOnFastSchedule_NeverOverlaps_AndSkippedTicksAreRecorded()
    {
        string work = _daemon.WorkDir("slow");
        string trace = Path.Combine(work, "trace.txt");
        // Each run records its start and end; a run takes 3 s, the schedule fires every second.
        _daemon.WriteService("slow", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "echo start $(date +%s.%N) >> trace.txt; sleep 3; echo end $(date +%s.%N) >> trace.txt"]
              schedule: "* * * * * *"
            """);
        await _daemon.StartAsync();
        await DaemonInstance.WaitUntilAsync(() => File.Exists(trace) && File.ReadAllLines(trace).Count(l => l.StartsWith("end", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(30), "two finished runs");

        int alive = 0;
        foreach (string line in File.ReadAllLines(trace))
        {
            alive += line.StartsWith("start", StringComparison.Ordinal) ? 1 : -1;
            Assert.InRange(alive, 0, 1);
        }
        Assert.Contains("skipped: the previous run is still", _daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OvertimeRun_IsStoppedThenKilled_FlaggedAndRecorded()
    {
        _daemon.WriteService("long", $$"""
            process:
              working_directory: {{_daemon.WorkDir("long")}}
              start_command: ["/bin/sh", "-c", "trap '' TERM; sleep 10"]
              schedule: "0 0 1 1 *"
              max_time_per_run: 1s
              stop_grace_period_ms: 500
            """);
        await _daemon.StartAsync();
        CommandResult start = await _daemon.PmctlAsync("start", "long");
        Assert.True(start.ExitCode == 0, start.ToString());

        // The run ignores SIGTERM and would sleep 10 s: only the overtime stop (signal, grace, cgroup.kill) ends it early.
        ServiceStatus done = await ServiceStatus.WaitAsync(_daemon, "long", s => !s.Running && s.Phase is "IDLE" or "STOPPED", TimeSpan.FromSeconds(60), "the run to end");
        Assert.Contains("ot_killed", done.SystemFlags);
        Assert.Contains("app=long cgroup.kill written", _daemon.Log, StringComparison.Ordinal);
        Assert.False(CgroupSandbox.IsPopulated(_daemon.AppCgroup("long")));
        Assert.Contains("\"result\": \"Overtime\"", done.Json, StringComparison.Ordinal);
        Assert.Contains("\"schedule_max_time_per_run_ms\": 1000", done.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAfterInThePast_NeverRuns()
    {
        string work = _daemon.WorkDir("expired");
        _daemon.WriteService("expired", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "touch ran"]
              schedule: "* * * * * *"
              not_after: "2020-01-01"
            """);
        await _daemon.StartAsync();

        // Planned at load: a job whose window has closed has no next run, so no timer is armed for it.
        using var status = JsonDocument.Parse((await ServiceStatus.ReadAsync(_daemon, "expired")).Json);
        Assert.Equal(JsonValueKind.Null, status.RootElement.GetProperty("next_run_at_ms").ValueKind);
        Assert.Empty(status.RootElement.GetProperty("runs").EnumerateArray());
        long notAfter = status.RootElement.GetProperty("schedule_not_after_ms").GetInt64();
        Assert.Equal(new DateTime(2020, 1, 1, 23, 59, 59), DateTimeOffset.FromUnixTimeMilliseconds(notAfter).LocalDateTime.AddTicks(-(DateTimeOffset.FromUnixTimeMilliseconds(notAfter).LocalDateTime.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Equal(JsonValueKind.Null, status.RootElement.GetProperty("schedule_not_before_ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.RootElement.GetProperty("provisioning_marker").ValueKind);
        Assert.False(File.Exists(Path.Combine(work, "ran")));
        Assert.DoesNotContain("app=expired run due", _daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotBeforeInTheFuture_DoesNotRunBeforeThen()
    {
        string work = _daemon.WorkDir("later");
        DateTime notBefore = DateTime.Now.AddSeconds(4);
        _daemon.WriteService("later", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "date +%s.%N >> ran"]
              schedule: "* * * * * *"
              not_before: "{{notBefore:yyyy-MM-dd HH:mm:ss}}"
            """);
        await _daemon.StartAsync();
        string ran = Path.Combine(work, "ran");
        // The job appends a whole line; read only once the first line is complete.
        await DaemonInstance.WaitUntilAsync(() => File.Exists(ran) && File.ReadAllText(ran).Contains('\n', StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the first run after not_before");
        double first = double.Parse(File.ReadAllLines(ran)[0], CultureInfo.InvariantCulture);
        double boundary = new DateTimeOffset(notBefore.AddTicks(-(notBefore.Ticks % TimeSpan.TicksPerSecond))).ToUnixTimeMilliseconds() / 1000.0;
        Assert.True(first >= boundary, $"first run at {first}, not_before {boundary}");
    }

    [Fact]
    public async Task ManualStartRestartStop_OfAJob_RunOnceAndForceWhenDisabled()
    {
        string work = _daemon.WorkDir("manual");
        _daemon.WriteService("manual", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "echo run >> runs.txt; sleep 30"]
              schedule: "0 0 1 1 *"
            global:
              enabled: false
            """);
        await _daemon.StartAsync();
        string runs = Path.Combine(work, "runs.txt");

        CommandResult refused = await _daemon.PmctlAsync("start", "manual");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("disabled", refused.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, (await _daemon.PmctlAsync("start", "manual", "--force")).ExitCode);
        await DaemonInstance.WaitUntilAsync(() => File.Exists(runs) && File.ReadAllLines(runs).Length == 1, TimeSpan.FromSeconds(30), "one run");
        Assert.Equal(0, (await _daemon.PmctlAsync("restart", "manual", "--force")).ExitCode);
        await DaemonInstance.WaitUntilAsync(() => File.ReadAllLines(runs).Length == 2, TimeSpan.FromSeconds(30), "a second run");
        // One run alive after the restart: its shell and its sleep (two overlapping runs would be four processes).
        await DaemonInstance.WaitUntilAsync(() => CgroupSandbox.Procs(_daemon.AppCgroup("manual") + "/run").Count == 2, TimeSpan.FromSeconds(30), "the restarted run's shell and sleep");
        Assert.Equal(0, (await _daemon.PmctlAsync("stop", "manual")).ExitCode);
        Assert.False(CgroupSandbox.IsPopulated(_daemon.AppCgroup("manual")));
    }
}
