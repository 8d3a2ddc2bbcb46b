using System.Globalization;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Reliability;

/// <summary>
/// Time faults (issue 16 §4) on the real daemon, whose wall clock alone is stepped by an LD_PRELOAD shim
/// (<c>clock-offset.c</c>: CLOCK_REALTIME plus an offset read from a file; the monotonic clock untouched, as with a real
/// step). Forward 10 minutes and back 10 seconds while a cron job every 2 s and user-flag TTLs are pending: every
/// occurrence is handled at most once (no burst: the jumped-over ones are reported missed in one event and not run, as
/// docs/cron.md says), runs go on after each step, and a TTL neither expires early on the forward step nor stays on
/// after a backward one. Then the daemon is SIGSTOPped while a service writes and SIGCONTed: nothing is lost.
/// </summary>
public sealed class TimeStepTests : IAsyncLifetime
{
    private const string Job = "tick";
    private const string Writer = "writer";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private string _offsetFile = "";
    private string _runs = "";
    private string _written = "";
    private string _writerLog = "";

    public async ValueTask InitializeAsync()
    {
        string shim = Path.Combine(_daemon.Root, "clock-offset.so");
        string source = Repository.PathOf("tests/ProcessMaster.Integration.Tests/Reliability/clock-offset.c");
        CommandResult gcc = await CommandRun.RunAsync("gcc", ["-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-o", shim, source, "-ldl"]);
        Assert.True(gcc.ExitCode == 0, $"cannot build the clock shim (gcc and libc6-dev are needed): {gcc}");
        _offsetFile = Path.Combine(_daemon.Root, "clock-offset-ms");
        SetOffset(TimeSpan.Zero);
        _daemon.Environment["LD_PRELOAD"] = shim;
        _daemon.Environment["PM_CLOCK_OFFSET_FILE"] = _offsetFile;

        string jobWork = _daemon.WorkDir(Job);
        _runs = Path.Combine(jobWork, "runs.txt");
        _daemon.WriteService(Job, $$"""
            process:
              working_directory: {{jobWork}}
              start_command: ["/bin/sh", "-c", "echo $$ >> runs.txt"]
              schedule: "*/2 * * * * *"
            """);
        string writerWork = _daemon.WorkDir(Writer);
        _written = Path.Combine(writerWork, "written.txt");
        _writerLog = Path.Combine(writerWork, "logs", "stdout.log");
        _daemon.WriteService(Writer, $$"""
            process:
              working_directory: {{writerWork}}
              start_command: ["/bin/sh", "-c", "{{NumberedLog.Writer(_written, 20)}}"]
            """);
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task WallClockStepsAndSigstop_CronHandlesEachOccurrenceOnce_TtlsFollowRealTime_NothingLost()
    {
        await _daemon.StartAsync();
        await WaitForRunsAsync(2, "two runs before any step");

        // The shim reaches the daemon's clock: its event stamps jump with the offset.
        int mark = _daemon.Log.Length;
        SetOffset(TimeSpan.FromMinutes(10));
        await FlagAsync("forward", "40s");
        await _daemon.WaitForLogAsync("user flags set forward ttl=40s", Wait, mark);
        string stamped = _daemon.Log[mark..].Split('\n').First(l => l.Contains("user flags set forward", StringComparison.Ordinal));
        DateTime at = DateTime.ParseExact(stamped[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.True(at > DateTime.Now.AddMinutes(5), $"the clock shim did not reach the daemon: \"{stamped}\" while now is {DateTime.Now:HH:mm:ss}");

        // Forward 10 minutes: the 40 s TTL (real time) is still on; the cron job reports the jumped-over runs once and goes on.
        Assert.Contains("forward", (await ServiceStatus.ReadAsync(_daemon, Job)).Json, StringComparison.Ordinal);
        await WaitForRunsAsync(2, "two runs after the forward step");
        Assert.Contains("forward", (await ServiceStatus.ReadAsync(_daemon, Job)).Json, StringComparison.Ordinal);
        Assert.Single(Missed(mark));

        // Back 10 seconds (at most an hour): handled occurrences are not run again; the job resumes after them.
        SetOffset(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(10));
        await WaitForRunsAsync(2, "two runs after the 10 s backward step");
        AssertEachOccurrenceOnce();

        // Back two hours (more than an hour: cron plans again from the corrected time). A 3 s TTL set before the step
        // ends after 3 s of real time; on the wall clock it would stay on for two more hours.
        await FlagAsync("backward", "3s");
        SetOffset(TimeSpan.FromMinutes(10) - TimeSpan.FromHours(2));
        await WaitForRunsAsync(2, "two runs after the 2 h backward step");
        await ServiceStatus.WaitAsync(_daemon, Job, s => !s.Json.Contains("backward", StringComparison.Ordinal), Wait, "the 3 s flag to expire");
        await ServiceStatus.WaitAsync(_daemon, Job, s => !s.Json.Contains("forward", StringComparison.Ordinal), Wait, "the 40 s flag to expire");
        AssertEachOccurrenceOnce();

        // A suspend-like pause: the daemon stops; the writer keeps writing into its pipe meanwhile.
        long before = NumberedLog.Progress(_written);
        _daemon.Signal(PosixSignalName.Stop);
        await DaemonInstance.WaitForProgressAsync(() => NumberedLog.Progress(_written), before + 2000, TimeSpan.FromSeconds(60), "2000 lines written while the daemon is stopped");
        _daemon.Signal(PosixSignalName.Cont);
        await WaitForRunsAsync(2, "two runs after SIGCONT");
        long written = NumberedLog.Progress(_written);
        await DaemonInstance.WaitForProgressAsync(() => NumberedLog.LastLine(_writerLog), written, TimeSpan.FromSeconds(60), $"line {written} in the writer's log");
        Assert.Null(NumberedLog.Problem(NumberedLog.ReadWithBackups(_writerLog)));
        AssertEachOccurrenceOnce();
        ServiceStatus writer = await ServiceStatus.ReadAsync(_daemon, Writer);
        Assert.Equal("RUNNING", writer.Phase);
        Assert.Equal(0, writer.Restarts10m);
    }

    private void SetOffset(TimeSpan offset) =>
        File.WriteAllText(_offsetFile, ((long)offset.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));

    private async Task FlagAsync(string flag, string ttl)
    {
        CommandResult result = await _daemon.PmctlAsync("flag", Job, flag, "--ttl", ttl);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private int RunCount() => File.Exists(_runs) ? File.ReadAllLines(_runs).Length : 0;

    private async Task WaitForRunsAsync(int more, string awaited)
    {
        int target = RunCount() + more;
        await DaemonInstance.WaitUntilAsync(() => RunCount() >= target, Wait, $"{awaited}\n--- daemon log ---\n{_daemon.Log}");
    }

    /// <summary>The "were missed" events since <paramref name="mark"/>.</summary>
    private List<string> Missed(int mark) =>
        [.. _daemon.Log[mark..].Split('\n').Where(l => l.Contains($"app={Job}", StringComparison.Ordinal) && l.Contains("were missed", StringComparison.Ordinal))];

    /// <summary>Every "run due at T" the daemon fired names a different T: no occurrence ran twice, whatever the clock did.</summary>
    private void AssertEachOccurrenceOnce()
    {
        const string Due = "app=tick run due at ";
        List<string> due = [.. _daemon.Log.Split('\n')
            .Select(l => l.IndexOf(Due, StringComparison.Ordinal) is var at and >= 0 && !l.Contains("skipped", StringComparison.Ordinal) ? l.Substring(at + Due.Length, 19) : null)
            .OfType<string>()];
        Assert.True(due.Count == due.Distinct(StringComparer.Ordinal).Count(), $"an occurrence ran twice: {string.Join(", ", due)}");
        Assert.True(RunCount() <= due.Count, $"{RunCount()} runs for {due.Count} due occurrences");
    }
}
