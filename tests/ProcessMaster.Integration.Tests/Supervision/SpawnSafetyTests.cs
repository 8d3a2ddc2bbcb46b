using System.Globalization;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// Root never opens a path a service controls, and a child gets exactly the process it was promised: the audit's
/// spawn-path findings (N-02, N-10, N-12, N-23, N-28, N-29) against the real daemon, with the service's side played
/// by <c>nobody</c> through setpriv.
/// </summary>
public sealed class SpawnSafetyTests : IAsyncLifetime
{
    private const uint Nobody = 65534;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private readonly string _sleep = "1" + Random.Shared.Next(10000, 99999).ToString(CultureInfo.InvariantCulture);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task StopCommandOutput_LogsDirSwappedForASymlinkByTheService_IsRefusedAndNothingIsWrittenOutside()
    {
        // N-02: the stop command's output files used to be opened by path, as root, following a symlinked logs/.
        string work = await ServiceOwnedWorkDirAsync("app1");
        string canary = RootOnlyDirectory("canary");
        _daemon.WriteService("app1", $$"""
            process:
              working_directory: {{work}}
              user: nobody
              start_command: ["/bin/sh", "-c", "exec sleep {{_sleep}}"]
              stop_command: ["/bin/sh", "-c", "echo '* * * * * root touch /tmp/pwned'; echo oops >&2"]
              stop_grace_period_ms: 500
            """);
        await _daemon.StartAsync();
        await DaemonInstance.WaitUntilAsync(() => ProcFacts.PidsWithMarker("sleep " + _sleep).Count == 1, Wait, "the service's sleep");
        Assert.True(Directory.Exists(Path.Combine(work, "logs")), "the capture created logs/");

        CommandResult swap = await AsNobody(work, "mv logs logs.real && ln -s " + canary + " logs");
        Assert.True(swap.ExitCode == 0, swap.ToString());

        int mark = _daemon.Log.Length;
        CommandResult stop = await _daemon.PmctlAsync("stop", "app1");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        string refusal = await _daemon.WaitForLogAsync("stop_command stdout", Wait, mark);
        Assert.Contains($"{work}/logs: is a symlink; refusing to follow it; this output of the stop command is discarded", refusal, StringComparison.Ordinal);
        await _daemon.WaitForLogAsync("stop_command stderr", Wait, mark);
        Assert.Empty(Directory.GetFileSystemEntries(canary));
        Assert.Equal("STOPPED", (await ServiceStatus.ReadAsync(_daemon, "app1")).Phase);
    }

    [Fact]
    public async Task StopCommandOutput_InAnOrdinaryLogsDir_IsAppendedByTheDaemon0640()
    {
        string work = await ServiceOwnedWorkDirAsync("app2");
        _daemon.WriteService("app2", $$"""
            process:
              working_directory: {{work}}
              user: nobody
              start_command: ["/bin/sh", "-c", "exec sleep {{_sleep}}"]
              stop_command: ["/bin/sh", "-c", "echo stopping as $(id -u); echo to-stderr >&2"]
              stop_grace_period_ms: 500
            """);
        await _daemon.StartAsync();
        await DaemonInstance.WaitUntilAsync(() => ProcFacts.PidsWithMarker("sleep " + _sleep).Count == 1, Wait, "the service's sleep");
        CommandResult stop = await _daemon.PmctlAsync("stop", "app2");
        Assert.True(stop.ExitCode == 0, stop.ToString());

        string stdout = Path.Combine(work, "logs", "stop_command_stdout.log");
        string stderr = Path.Combine(work, "logs", "stop_command_stderr.log");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(stderr) && File.ReadAllText(stderr).Contains("to-stderr", StringComparison.Ordinal), Wait, "the stop command's stderr");
        Assert.Equal($"stopping as {Nobody}\n", await File.ReadAllTextAsync(stdout, TestContext.Current.CancellationToken));
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), File.GetUnixFileMode(stdout));
        Assert.Equal(0u, await OwnerAsync(stdout));
    }

    [Fact]
    public async Task Logs_HintBehindASymlinkedDirectory_IsRefusedAndTheRootOnlyFileIsNotShown()
    {
        // N-12: reads used to follow symlinks in intermediate components below the working directory.
        string work = await ServiceOwnedWorkDirAsync("h1");
        string secret = RootOnlyDirectory("secret");
        Directory.CreateDirectory(Path.Combine(secret, "b"));
        await File.WriteAllTextAsync(Path.Combine(secret, "b", "app.log"), "ROOT-ONLY-SECRET-LINE\n", TestContext.Current.CancellationToken);
        _daemon.WriteService("h1", $$"""
            process:
              working_directory: {{work}}
              user: nobody
              start_command: ["/bin/sh", "-c", "echo HINT-LINE > logs/app.log; exec sleep {{_sleep}}"]
            logs:
              hints: ["./a/b/app.log", "./logs/app.log"]
            """);
        await _daemon.StartAsync();
        string hint = Path.Combine(work, "logs", "app.log");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(hint), Wait, "the service's own hint file in logs/ (N-28: logs/ belongs to the service user)");
        Assert.Equal(Nobody, await OwnerAsync(Path.Combine(work, "logs")));
        Assert.Equal(0u, await OwnerAsync(Path.Combine(work, "logs", "stdout.log")));

        CommandResult plant = await AsNobody(work, "ln -s " + secret + " a");
        Assert.True(plant.ExitCode == 0, plant.ToString());

        CommandResult logs = await _daemon.PmctlAsync("logs", "h1", "-n", "5");
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains("HINT-LINE", logs.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ROOT-ONLY-SECRET-LINE", logs.Stdout + logs.Stderr, StringComparison.Ordinal);
        Assert.Contains($"(refused {work}/a/b/app.log: {work}/a: is a symlink; refusing to follow it)", logs.Stdout, StringComparison.Ordinal);

        CommandResult follow = await _daemon.PmctlAsync("logs", "-f", "h1", "--file", "app.log", "-n", "5");
        Assert.NotEqual(0, follow.ExitCode);
        Assert.DoesNotContain("ROOT-ONLY-SECRET-LINE", follow.Stdout + follow.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{work}/a: is a symlink; refusing to follow it", follow.Stdout + follow.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaemonStartedUnderUmask000_LogIs0640InAClosedDirectory_AndServicesGetTheirOwnUmask()
    {
        // N-10, N-23: the daemon sets umask 077 for itself and gives each child process.umask (default 022).
        string plain = _daemon.WorkDir("plain");
        string strict = _daemon.WorkDir("strict");
        _daemon.WriteService("plain", $$"""
            process:
              working_directory: {{plain}}
              start_command: ["/bin/sh", "-c", "touch made; exec sleep {{_sleep}}"]
            """);
        _daemon.WriteService("strict", $$"""
            process:
              working_directory: {{strict}}
              umask: "027"
              no_new_privileges: true
              start_command: ["/bin/sh", "-c", "touch made; exec sleep {{_sleep}}1"]
            """);
        await _daemon.StartAsync(umask: "000");
        await DaemonInstance.WaitUntilAsync(() => ProcFacts.PidsWithMarker("sleep " + _sleep).Count == 2, Wait, "both sleeps");

        string log = Path.Combine(_daemon.Root, "logs", "processmaster.log");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(log) && new FileInfo(log).Length > 0, Wait, "the daemon log");
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), File.GetUnixFileMode(log));
        UnixFileMode directory = File.GetUnixFileMode(Path.GetDirectoryName(log)!);
        Assert.True((directory & (UnixFileMode.OtherWrite | UnixFileMode.GroupWrite)) == 0, $"log directory mode {directory}");

        int plainPid = ProcFacts.PidsWithMarker("sleep " + _sleep).Single(p => !ProcFacts.PidsWithMarker($"sleep {_sleep}1").Contains(p));
        int strictPid = Assert.Single(ProcFacts.PidsWithMarker($"sleep {_sleep}1"));
        Assert.Equal("0022", ProcFacts.StatusField(plainPid, "Umask"));
        Assert.Equal("0", ProcFacts.StatusField(plainPid, "NoNewPrivs"));
        Assert.Equal("0027", ProcFacts.StatusField(strictPid, "Umask"));
        Assert.Equal("1", ProcFacts.StatusField(strictPid, "NoNewPrivs"));
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), File.GetUnixFileMode(Path.Combine(plain, "made")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), File.GetUnixFileMode(Path.Combine(strict, "made")));
        (_, string daemonHard) = OpenFiles(_daemon.Pid!.Value);
        Assert.Equal((Math.Min(1024, long.Parse(daemonHard, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture), daemonHard), OpenFiles(plainPid));
    }

    [Fact]
    public async Task WorkingDirectoryOnlyRootCanEnter_StartFailsWithAClearEvent_NotEnteredAsRoot()
    {
        // N-29: the child changes directory after the privilege drop, so the service user's own rights apply.
        string work = _daemon.WorkDir("locked");
        File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _daemon.WriteService("locked", $$"""
            process:
              working_directory: {{work}}
              user: nobody
              start_command: ["/bin/sh", "-c", "exec sleep {{_sleep}}"]
            restart_policy:
              policy: never
            """);
        await _daemon.StartAsync();
        string failure = await _daemon.WaitForLogAsync("chdir failed", Wait);
        Assert.Contains($"service \"locked\": spawn failed: {work}: chdir failed: Permission denied (EACCES); the working directory must exist and be a directory user nobody (uid 65534) can enter", failure, StringComparison.Ordinal);
        Assert.Empty(ProcFacts.PidsWithMarker("sleep " + _sleep));
        Assert.Empty(CgroupSandbox.Procs(_daemon.AppCgroup("locked")));
    }

    [Fact]
    public async Task StartAfterAStopThatEndedInCgroupKill_TheNewInstanceRuns()
    {
        // The app cgroup has been cgroup.kill'ed: some kernels kill a child cloned into it with CLONE_INTO_CGROUP at
        // birth; the daemon checks at start and joins through cgroup.procs there.
        string work = _daemon.WorkDir("stubborn");
        _daemon.WriteService("stubborn", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "trap '' TERM; echo started >> starts.txt; while :; do sleep {{_sleep}}; done"]
              stop_grace_period_ms: 300
            """);
        await _daemon.StartAsync();
        string starts = Path.Combine(work, "starts.txt");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(starts) && File.ReadAllLines(starts).Length == 1, Wait, "the first start");
        int mark = _daemon.Log.Length;
        CommandResult stop = await _daemon.PmctlAsync("stop", "stubborn");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        await _daemon.WaitForLogAsync("cgroup.kill written", Wait, mark);

        CommandResult start = await _daemon.PmctlAsync("start", "stubborn");
        Assert.True(start.ExitCode == 0, start.ToString());
        await DaemonInstance.WaitUntilAsync(() => File.ReadAllLines(starts).Length == 2, Wait, "the second start to run its first line");
        Assert.Equal("RUNNING", (await ServiceStatus.ReadAsync(_daemon, "stubborn")).Phase);
        Assert.Equal(2, ProcFacts.PidsWithMarker("sleep " + _sleep).Count); // the shell and its sleep
    }

    [Fact]
    public async Task BrokenStarts_EachIsAClearEvent_AndTheDaemonKeepsRunning()
    {
        string work = _daemon.WorkDir("broken");
        string script = Path.Combine(work, "run.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nexit 0\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("644", 8));
        string gone = Directory.CreateDirectory(Path.Combine(work, "gone")).FullName; // exists at load, removed before the start
        (string App, string Yaml, string Expected)[] cases =
        [ // an unknown user is a load-time problem (ServiceIdentityTests), not a start that fails
            ("noexec", $"working_directory: {work}\n  start_command: [\"./run.sh\"]", $"service \"noexec\": spawn failed: {script} (cwd {work}): execve failed: Permission denied (EACCES)"),
            ("missing", $"working_directory: {work}\n  start_command: [\"/nonexistent/bin/app\"]", $"service \"missing\": spawn failed: /nonexistent/bin/app (cwd {work}): execve failed: No such file or directory (ENOENT)"),
            ("nocwd", $"working_directory: {gone}\n  start_command: [\"/bin/true\"]", $"service \"nocwd\": spawn failed: {gone}: chdir failed: No such file or directory (ENOENT)"),
        ];
        foreach ((string app, string yaml, _) in cases)
            _daemon.WriteService(app, $"process:\n  {yaml}\nrestart_policy:\n  policy: never\nglobal:\n  enabled: false\n");
        await _daemon.StartAsync();
        Directory.Delete(gone, recursive: true); // with the logs/ the capture made in it

        foreach ((string app, _, string expected) in cases)
        {
            CommandResult start = await _daemon.PmctlAsync("start", app, "--force");
            Assert.True(start.ExitCode != 0, start.ToString());
            Assert.Contains(expected, start.Stdout + start.Stderr, StringComparison.Ordinal);
            string line = _daemon.Log.Split('\n').First(l => l.Contains(expected, StringComparison.Ordinal));
            Assert.Contains($"[state] app={app} ", line, StringComparison.Ordinal);
            Assert.Equal("STOPPED", (await ServiceStatus.ReadAsync(_daemon, app)).Phase); // disabled: a failed forced start is not retried
        }
        Assert.NotNull(_daemon.Pid);
        CommandResult status = await _daemon.PmctlAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
    }

    /// <summary>A working directory owned by nobody, as a provisioned service's would be.</summary>
    private async Task<string> ServiceOwnedWorkDirAsync(string app)
    {
        string work = _daemon.WorkDir(app);
        CommandResult chown = await CommandRun.RunAsync("/bin/chown", [$"{Nobody}:{Nobody}", work], Wait);
        Assert.True(chown.ExitCode == 0, chown.ToString());
        return work;
    }

    /// <summary>A directory only root can read or write: what the attacks aim at.</summary>
    private string RootOnlyDirectory(string name)
    {
        string dir = Directory.CreateDirectory(Path.Combine(_daemon.Root, name)).FullName;
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    private static Task<CommandResult> AsNobody(string directory, string script) =>
        CommandRun.RunAsync("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c", $"cd '{directory}' && {script}"], Wait);

    private static async Task<uint> OwnerAsync(string path)
    {
        CommandResult result = await CommandRun.RunAsync("/usr/bin/stat", ["-c", "%u", path], Wait);
        Assert.True(result.ExitCode == 0, result.ToString());
        return uint.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Soft and hard RLIMIT_NOFILE of a process, as /proc/PID/limits shows them.</summary>
    private static (string Soft, string Hard) OpenFiles(int pid)
    {
        string line = File.ReadAllLines($"/proc/{pid}/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        string[] fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (fields[0], fields[1]);
    }
}
