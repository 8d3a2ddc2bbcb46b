using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// The supervisor core against a real daemon, real cgroups and real processes, driven by the real pmctl:
/// "stopped" means nothing of the service is left; "running" means it runs.
/// </summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private readonly string _sleep = "1" + Random.Shared.Next(10000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task DoubleForkingService_StaysRunningWhileItsChildLives_AndStopLeavesNothing()
    {
        // The start command backgrounds a sleep in a new session and exits: a classic daemonising service.
        _daemon.WriteService("forker", $$"""
            process:
              working_directory: {{_daemon.WorkDir("forker")}}
              start_command: ["/bin/sh", "-c", "(setsid sleep {{_sleep}} &) ; exit 0"]
              stop_grace_period_ms: 2000
            """);
        await _daemon.StartAsync();

        await DaemonInstance.WaitUntilAsync(() => ProcFacts.PidsWithMarker("sleep " + _sleep).Count == 1, TimeSpan.FromSeconds(30), "the double-forked sleep");
        // The start command has exited: only the detached sleep is left in the cgroup.
        await DaemonInstance.WaitUntilAsync(() => CgroupSandbox.Procs(_daemon.AppCgroup("forker") + "/run").Count == 1, TimeSpan.FromSeconds(30), "the start command to exit");
        ServiceStatus running = await ServiceStatus.ReadAsync(_daemon, "forker");
        Assert.Equal("RUNNING", running.Phase);
        Assert.True(running.Running, running.Json);

        CommandResult stop = await _daemon.PmctlAsync("stop", "forker");
        Assert.True(stop.ExitCode == 0, stop.ToString());

        Assert.Empty(ProcFacts.PidsWithMarker("sleep " + _sleep));
        Assert.False(CgroupSandbox.IsPopulated(_daemon.AppCgroup("forker")));
        ServiceStatus stopped = await ServiceStatus.ReadAsync(_daemon, "forker");
        Assert.Equal("STOPPED", stopped.Phase);
        Assert.False(stopped.Running, stopped.Json);
    }

    [Fact]
    public async Task ServiceThatForksAtOnce_CannotLeaveItsCgroup()
    {
        _daemon.WriteService("burst", $$"""
            process:
              working_directory: {{_daemon.WorkDir("burst")}}
              start_command: ["/bin/sh", "-c", "sleep {{_sleep}} & (sleep {{_sleep}} &) & setsid sleep {{_sleep}} & exec sleep {{_sleep}}"]
            """);
        await _daemon.StartAsync();
        await DaemonInstance.WaitUntilAsync(() => ProcFacts.PidsWithMarker("sleep " + _sleep).Count == 4, TimeSpan.FromSeconds(30), "four sleeps");

        string appCgroup = "/" + Path.GetRelativePath(CgroupSandbox.FindCgroup2Mount()!, _daemon.AppCgroup("burst"));
        foreach (int pid in ProcFacts.PidsWithMarker("sleep " + _sleep))
        {
            string cgroup = File.ReadAllLines($"/proc/{pid}/cgroup").Single(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
            Assert.StartsWith(appCgroup + "/", cgroup + "/", StringComparison.Ordinal);
        }
        Assert.True((await _daemon.PmctlAsync("stop", "burst")).ExitCode == 0);
        Assert.Empty(ProcFacts.PidsWithMarker("sleep " + _sleep));
    }

    [Fact]
    public async Task ServiceIgnoringSigterm_IsKilledByCgroupKillAfterItsGracePeriod()
    {
        _daemon.WriteService("stubborn", $$"""
            process:
              working_directory: {{_daemon.WorkDir("stubborn")}}
              start_command: ["/bin/sh", "-c", "trap '' TERM; sleep {{_sleep}} & while :; do wait; done"]
              stop_grace_period_ms: 700
            """);
        await _daemon.StartAsync();
        // The shell (whose command line names the sleep too) and the sleep.
        await DaemonInstance.WaitUntilAsync(() => ProcFacts.PidsWithMarker("sleep " + _sleep).Count == 2, TimeSpan.FromSeconds(30), "the shell and its sleep");

        // The stop is asked for now (the daemon stamps its events with the same wall clock, local time, to the ms): the
        // grace period starts at the daemon's decision, which comes after this. The STOPPING line itself is no reference:
        // it is journaled after the signals went out, which on a loaded machine takes tens of ms.
        DateTime requested = DateTime.Now;
        CommandResult stop = await _daemon.PmctlAsync("stop", "stubborn");

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.False(CgroupSandbox.IsPopulated(_daemon.AppCgroup("stubborn")));
        // Never before the grace period is over (1 ms for the stamps' truncation). How much later is a benchmark figure,
        // not a test bound (a loaded machine is slower).
        DateTime killed = LogTimestamp(_daemon.Log, "app=stubborn cgroup.kill written");
        TimeSpan delay = killed - requested;
        Assert.True(delay >= TimeSpan.FromMilliseconds(699), $"cgroup.kill {delay.TotalMilliseconds} ms after the stop was asked for (grace 700 ms)\n{_daemon.Log}");
    }

    [Fact]
    public async Task CrashLoop_BacksOffThenFailsAfterTheFourthCrash_AndStartBringsItBack()
    {
        _daemon.WriteService("crasher", $$"""
            process:
              working_directory: {{_daemon.WorkDir("crasher")}}
              start_command: ["/bin/sh", "-c", "sleep 0.2; exit 3"]
            restart_policy:
              policy: always
              restart_backoff_ms: 300
              tolerance:
                max_restarts: 3
                duration: 1m
            """);
        await _daemon.StartAsync();

        ServiceStatus failed = await ServiceStatus.WaitAsync(_daemon, "crasher", s => s.Phase == "FAILED", TimeSpan.FromSeconds(30), "FAILED");
        Assert.Contains("failed", failed.SystemFlags);
        Assert.Equal(4, CountOf(_daemon.Log, "app=crasher STARTING -> RUNNING") + CountOf(_daemon.Log, "app=crasher RESTARTING -> RUNNING"));
        Assert.Equal(3, CountOf(_daemon.Log, "app=crasher restart in 300ms"));

        // No restart after FAILED.
        int mark = _daemon.Log.Length;
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.DoesNotContain("-> RUNNING", _daemon.Log[mark..], StringComparison.Ordinal);
        Assert.Equal("FAILED", (await ServiceStatus.ReadAsync(_daemon, "crasher")).Phase);

        CommandResult start = await _daemon.PmctlAsync("start", "crasher");
        Assert.Contains("-> RUNNING", _daemon.Log[mark..], StringComparison.Ordinal);
        Assert.True(start.ExitCode == 0, start.ToString());
    }

    [Fact]
    public async Task ServiceAsNobody_RunsWithExactlyNobodysIds()
    {
        string work = _daemon.WorkDir("whoami");
        File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        _daemon.WriteService("whoami", $$"""
            process:
              working_directory: {{work}}
              user: nobody
              start_command: ["/bin/sh", "-c", "id; exec sleep {{_sleep}}"]
            """);
        await _daemon.StartAsync();
        await DaemonInstance.WaitUntilAsync(() => ProcFacts.PidsWithMarker("sleep " + _sleep).Count == 1, TimeSpan.FromSeconds(30), "the sleep");
        int pid = ProcFacts.PidsWithMarker("sleep " + _sleep)[0];

        Assert.Equal("65534\t65534\t65534\t65534", ProcFacts.StatusField(pid, "Uid"));
        Assert.Equal("65534\t65534\t65534\t65534", ProcFacts.StatusField(pid, "Gid"));
        Assert.Equal("65534", ProcFacts.StatusField(pid, "Groups"));

        string stdout = Path.Combine(work, "logs", "stdout.log");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(stdout) && File.ReadAllText(stdout).Contains("uid=", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "id output in the log");
        Assert.Equal("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)", File.ReadAllText(stdout).Trim());
    }

    [Fact]
    public async Task HundredStartStopCycles_LeaveNoZombieAndNoStrayCgroup()
    {
        _daemon.WriteService("cycler", $$"""
            process:
              working_directory: {{_daemon.WorkDir("cycler")}}
              start_command: ["/bin/sh", "-c", "sleep {{_sleep}} & exec sleep {{_sleep}}"]
              stop_grace_period_ms: 1000
            """);
        await _daemon.StartAsync();
        for (int i = 0; i < 100; i++)
        {
            CommandResult stop = await _daemon.PmctlAsync("stop", "cycler");
            Assert.True(stop.ExitCode == 0, $"cycle {i}: {stop}");
            Assert.False(CgroupSandbox.IsPopulated(_daemon.AppCgroup("cycler")));
            CommandResult start = await _daemon.PmctlAsync("start", "cycler");
            Assert.True(start.ExitCode == 0, $"cycle {i}: {start}");
        }
        Assert.True((await _daemon.PmctlAsync("stop", "cycler")).ExitCode == 0);
        await DaemonInstance.WaitUntilAsync(() => ProcFacts.ZombieChildrenOf(_daemon.Pid!.Value).Count == 0, TimeSpan.FromSeconds(30), "no zombie children of the daemon");
        Assert.Empty(ProcFacts.PidsWithMarker("sleep " + _sleep));
        // Only the daemon's own cgroups: its leaf and the one app cgroup with its leaf.
        string[] children = [.. Directory.GetDirectories(_daemon.MasterCgroup).Select(Path.GetFileName).Order()!];
        Assert.Equal(["pm-cycler", "run"], children);
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>The timestamp at the start of the daemon log line containing <paramref name="marker"/>.</summary>
    private static DateTime LogTimestamp(string log, string marker)
    {
        string line = log.Split('\n').First(l => l.Contains(marker, StringComparison.Ordinal));
        return DateTime.ParseExact(line[..23], "yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
    }
}
