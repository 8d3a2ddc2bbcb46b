using System.Globalization;
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
        await DaemonInstance.WaitUntilAsync(() => File.Exists(stamps) && File.ReadAllLines(stamps).Length >= 5, TimeSpan.FromSeconds(30), "five runs");

        long[] seconds = [.. File.ReadAllLines(stamps).Select(l => long.Parse(l, CultureInfo.InvariantCulture))];
        Assert.All(seconds, s => Assert.Equal(0, s % 2));
        Assert.Equal(seconds.Length, seconds.Distinct().Count());
        for (int i = 1; i < seconds.Length; i++) Assert.Equal(2, seconds[i] - seconds[i - 1]);
    }

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
    public async Task OvertimeRun_IsKilledWithinGracePlusOneSecond_FlaggedAndRecorded()
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
        DateTime started = DateTime.UtcNow;
        CommandResult start = await _daemon.PmctlAsync("start", "long");
        Assert.True(start.ExitCode == 0, start.ToString());

        ServiceStatus done = await ServiceStatus.WaitAsync(_daemon, "long", s => !s.Running && s.Phase is "IDLE" or "STOPPED", TimeSpan.FromSeconds(10), "the run to end");
        TimeSpan took = DateTime.UtcNow - started;
        Assert.True(took < TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(500) + TimeSpan.FromSeconds(1.5), $"the overtime run ended after {took}");
        Assert.Contains("ot_killed", done.SystemFlags);
        Assert.Contains("\"result\": \"Overtime\"", done.Json, StringComparison.Ordinal);
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
        await Task.Delay(2500, TestContext.Current.CancellationToken);
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
        await DaemonInstance.WaitUntilAsync(() => File.Exists(ran), TimeSpan.FromSeconds(20), "the first run after not_before");
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
        await DaemonInstance.WaitUntilAsync(() => File.Exists(runs) && File.ReadAllLines(runs).Length == 1, TimeSpan.FromSeconds(10), "one run");
        Assert.Equal(0, (await _daemon.PmctlAsync("restart", "manual", "--force")).ExitCode);
        await DaemonInstance.WaitUntilAsync(() => File.ReadAllLines(runs).Length == 2, TimeSpan.FromSeconds(10), "a second run");
        // One run alive after the restart: its shell and its sleep (two overlapping runs would be four processes).
        await DaemonInstance.WaitUntilAsync(() => CgroupSandbox.Procs(_daemon.AppCgroup("manual") + "/run").Count == 2, TimeSpan.FromSeconds(5), "the restarted run's shell and sleep");
        Assert.Equal(0, (await _daemon.PmctlAsync("stop", "manual")).ExitCode);
        Assert.Empty(CgroupSandbox.Procs(_daemon.AppCgroup("manual")));
    }
}
