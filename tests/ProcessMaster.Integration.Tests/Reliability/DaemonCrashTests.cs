using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Reliability;

/// <summary>
/// The daemon is SIGKILLed at random points (seeded) while it starts, stops, restarts and reloads a service, rotates a
/// log and runs a cron job, and started again each time. After every restart: what should run runs (a service caught
/// mid-spawn is spawned again at once, not after its start timeout and not as a crash), no service has two instances,
/// none is lost, the services that ran are adopted with the same processes, the state file is valid JSON; at the end
/// every numbered line the services wrote is in their logs (rotated backups included) exactly once, in order.
/// <c>PM_RELIABILITY_ITERATIONS</c> sets the number of kills (CI: one per fault), <c>PM_RELIABILITY_SEED</c> replays a run.
/// </summary>
public sealed class DaemonCrashTests : IAsyncLifetime
{
    private const string Target = "target";
    private const string Job = "tick";
    private const int RotationBytes = 8192;
    private static readonly string[] Steady = ["steady", "rotor"];
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private readonly ReliabilityRun _run = ReliabilityRun.FromEnvironment(ciIterations: Enum.GetValues<Fault>().Length);
    private readonly Dictionary<string, string> _progress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _logs = new(StringComparer.Ordinal);
    private string _targetWork = "";
    private string _runs = "";

    private enum Fault
    {
        Start,
        Stop,
        Restart,
        Reload,
        Rotation,
        CronRun,
    }

    public ValueTask InitializeAsync()
    {
        foreach (string app in Steady)
        {
            string work = _daemon.WorkDir(app);
            _progress[app] = Path.Combine(work, "written.txt");
            _logs[app] = Path.Combine(work, "logs", "stdout.log");
            string rotation = app == "rotor" ? $"""
                logs:
                  rotation_size: {RotationBytes}
                  rotation_backups: 10000
                  compression_enabled: false
                """ : "";
            _daemon.WriteService(app, $$"""
                process:
                  working_directory: {{work}}
                  start_command: ["/bin/sh", "-c", "{{NumberedLog.Writer(_progress[app], app == "rotor" ? 40 : 10)}}"]
                {{rotation}}
                """);
        }
        _targetWork = _daemon.WorkDir(Target);
        WriteTarget(0);
        string jobWork = _daemon.WorkDir(Job);
        _runs = Path.Combine(jobWork, "runs.txt");
        _daemon.WriteService(Job, $$"""
            process:
              working_directory: {{jobWork}}
              start_command: ["/bin/sh", "-c", "echo $$ >> runs.txt; sleep 0.3"]
              schedule: "* * * * * *"
            """);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task SigkillAtRandomPoints_EverythingComesBackOnce_AdoptedWithSamePids_NoLogLineLost()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"reliability run: {_run.Replay}");
        await _daemon.StartAsync();
        foreach (string app in Steady) await ServiceStatus.WaitAsync(_daemon, app, s => s.Phase == "RUNNING", Wait, "RUNNING");
        await ServiceStatus.WaitAsync(_daemon, Target, s => s.Phase == "RUNNING", Wait, "RUNNING");

        Fault[] faults = Enum.GetValues<Fault>();
        int first = _run.Random.Next(faults.Length);
        for (int i = 0; i < _run.Iterations; i++)
        {
            Fault fault = faults[(first + i) % faults.Length];
            int delayMs = _run.Random.Next(0, 150);
            try
            {
                await KillDuringAsync(fault, delayMs, i + 1);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"kill {i + 1} of {_run.Iterations} ({fault}, {delayMs} ms in); replay with {_run.Replay}: {e.Message}", e);
            }
        }

        foreach (string app in Steady)
        {
            long written = NumberedLog.Progress(_progress[app]);
            await DaemonInstance.WaitForProgressAsync(() => NumberedLog.LastLine(_logs[app]), written, TimeSpan.FromSeconds(60), $"{app}: line {written} in its log ({_run.Replay})");
            Assert.True(NumberedLog.Problem(NumberedLog.ReadWithBackups(_logs[app])) is not { } problem, $"{app}: {NumberedLog.Problem(NumberedLog.ReadWithBackups(_logs[app]))} ({_run.Replay})");
        }
        Assert.True(File.Exists(_logs["rotor"] + ".1"), "rotor's log was never rotated");
    }

    /// <summary>
    /// The worst moment, made certain: the state file says the target is Starting (the last daemon asked for its spawn)
    /// and its cgroup is empty (the daemon died before the process got there). The next daemon spawns it again at once:
    /// it neither waits out the 10 s start timeout nor counts a crash.
    /// </summary>
    [Fact]
    public async Task SavedAsStartingWithEmptyCgroup_IsSpawnedAgainAtOnce_NoCrashCounted()
    {
        await _daemon.StartAsync();
        await SetTargetAsync(running: false);
        await DaemonInstance.WaitUntilAsync(() => SavedState(Target) == "Stopped", Wait, "the target saved as Stopped");
        await _daemon.StopAsync(PosixSignalName.Kill);

        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_daemon.StatePath))!;
        state["services"]![Target]!["state"] = "Starting";
        state["services"]![Target]!["desired"] = "Up";
        File.WriteAllText(_daemon.StatePath, state.ToJsonString());
        Assert.Empty(CgroupInstances.AllProcs(_daemon.AppCgroup(Target)));

        int mark = _daemon.Log.Length;
        await _daemon.StartAsync();
        ServiceStatus target = await ServiceStatus.WaitAsync(_daemon, Target, s => s.Phase != "STARTING" && s.Phase != "RESTARTING", Wait, "the spawn to report");
        Assert.True(target.Phase == "RUNNING", $"{target.Json}\n{_daemon.Log[mark..]}");
        Assert.Equal(0, target.Restarts10m);
        Assert.DoesNotContain("spawn did not report", _daemon.Log[mark..], StringComparison.Ordinal);
        Assert.Single(CgroupInstances.Roots(_daemon.AppCgroup(Target)));
    }

    private string? SavedState(string app)
    {
        try
        {
            using JsonDocument state = JsonDocument.Parse(File.ReadAllBytes(_daemon.StatePath));
            return state.RootElement.GetProperty("services").TryGetProperty(app, out JsonElement service) ? service.GetProperty("state").GetString() : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Brings the daemon to <paramref name="fault"/>, kills it <paramref name="delayMs"/> later, starts it again and checks.</summary>
    private async Task KillDuringAsync(Fault fault, int delayMs, int generation)
    {
        await SetTargetAsync(running: fault != Fault.Start);
        int mark = _daemon.Log.Length;
        Task<CommandResult>? command = null;
        switch (fault)
        {
            case Fault.Start:
                command = _daemon.PmctlAsync("start", Target);
                await _daemon.WaitForLogAsync($"app={Target} STOPPED -> STARTING", Wait, mark);
                break;
            case Fault.Stop or Fault.Restart:
                command = _daemon.PmctlAsync(fault == Fault.Stop ? "stop" : "restart", Target);
                await _daemon.WaitForLogAsync($"app={Target} RUNNING -> STOPPING", Wait, mark);
                break;
            case Fault.Reload:
                WriteTarget(generation);
                command = _daemon.PmctlAsync("update");
                await _daemon.WaitForLogAsync($"app={Target} RUNNING -> STOPPING", Wait, mark);
                break;
            case Fault.Rotation:
                int backups = Backups("rotor");
                await DaemonInstance.WaitUntilAsync(() => Backups("rotor") > backups || Length(_logs["rotor"]) >= RotationBytes * 9 / 10, Wait, "rotor's log close to its rotation size");
                break;
            case Fault.CronRun:
                int runs = RunCount();
                await DaemonInstance.WaitUntilAsync(() => RunCount() > runs, Wait, "the next cron run");
                break;
        }
        await Task.Delay(delayMs, TestContext.Current.CancellationToken);   // the random point: fault timing, not a wait
        Dictionary<string, IReadOnlyList<int>> before = Steady.ToDictionary(app => app, app => CgroupInstances.Roots(_daemon.AppCgroup(app)));
        await _daemon.StopAsync(PosixSignalName.Kill);
        CommandResult? reply = command is null ? null : await command;

        AssertStateFileValid();
        foreach (string app in Steady)
        {
            Assert.True(before[app].Count == 1, $"{app} had {before[app].Count} instances before the kill");
            Assert.Equal(before[app], CgroupInstances.Roots(_daemon.AppCgroup(app)));
        }

        mark = _daemon.Log.Length;
        int runsBefore = RunCount();
        await _daemon.StartAsync();

        // An acknowledged command holds; one the kill cut off may have happened or not, but the service settles.
        string? intended = reply is { ExitCode: 0 } ? fault == Fault.Stop ? "STOPPED" : "RUNNING" : null;
        ServiceStatus target = await ServiceStatus.WaitAsync(_daemon, Target, s => (s.Phase is "RUNNING" or "STOPPED") && (intended is null || s.Phase == intended), Wait,
            intended ?? "RUNNING or STOPPED");
        IReadOnlyList<int> targetRoots = CgroupInstances.Roots(_daemon.AppCgroup(Target));
        Assert.True(targetRoots.Count == (target.Phase == "RUNNING" ? 1 : 0), $"{Target} is {target.Phase} with {targetRoots.Count} instances ({string.Join(',', targetRoots)})");
        if (target.Phase == "RUNNING") Assert.Contains(targetRoots[0], target.Pids);
        Assert.DoesNotContain("spawn did not report", _daemon.Log[mark..], StringComparison.Ordinal);

        foreach (string app in Steady)
        {
            ServiceStatus status = await ServiceStatus.ReadAsync(_daemon, app);
            Assert.True(status.Phase == "RUNNING", $"{app} is {status.Phase} after the restart");
            Assert.Equal(before[app], CgroupInstances.Roots(_daemon.AppCgroup(app)));
            Assert.Contains(before[app][0], status.Pids);
            Assert.Equal(0, status.Restarts10m);
        }
        await DaemonInstance.WaitUntilAsync(() => RunCount() > runsBefore, Wait, "a cron run after the restart");
        Assert.True(CgroupInstances.Roots(_daemon.AppCgroup(Job)).Count <= 1, "two runs of the cron job at once");
    }

    /// <summary>Starts or stops the target by hand until it is where the next fault needs it.</summary>
    private async Task SetTargetAsync(bool running)
    {
        string want = running ? "RUNNING" : "STOPPED";
        if ((await ServiceStatus.ReadAsync(_daemon, Target)).Phase == want) return;
        CommandResult result = await _daemon.PmctlAsync(running ? "start" : "stop", Target);
        Assert.True(result.ExitCode == 0, result.ToString());
        await ServiceStatus.WaitAsync(_daemon, Target, s => s.Phase == want, Wait, want);
    }

    private void WriteTarget(int generation) =>
        _daemon.WriteService(Target, $$"""
            process:
              working_directory: {{_targetWork}}
              start_command: ["/bin/sleep", "1000000"]
              environment:
                - name: GENERATION
                  value: "{{generation}}"
            """);

    private void AssertStateFileValid()
    {
        if (!File.Exists(_daemon.StatePath)) return;
        using JsonDocument state = JsonDocument.Parse(File.ReadAllBytes(_daemon.StatePath));
        Assert.True(state.RootElement.TryGetProperty("services", out JsonElement services), "the state file has no services");
        Assert.Equal(JsonValueKind.Object, services.ValueKind);
        foreach (string app in Steady.Append(Target).Append(Job)) Assert.True(services.TryGetProperty(app, out _), $"the state file lost {app}");
    }

    private int RunCount() => File.Exists(_runs) ? File.ReadAllLines(_runs).Length : 0;

    private int Backups(string app) => Directory.EnumerateFiles(Path.GetDirectoryName(_logs[app])!, "stdout.log.*").Count();

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
