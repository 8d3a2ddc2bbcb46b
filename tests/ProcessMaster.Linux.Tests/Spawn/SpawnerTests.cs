using System.Globalization;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Spawn;

public class SpawnerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static Dictionary<string, string> Status(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status")
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0], p => p[1].Trim());

    private static UserCredentials Nobody()
    {
        Assert.True(UserDatabase.TryResolve("nobody", null, out UserCredentials? nobody, out string error), error);
        return nobody!;
    }

    [Fact]
    public async Task Spawn_AsNobodyInCgroup_KernelShowsCgroupCredentialsSignalsSessionUmaskAndCwd()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        SpawnRequest request = TestSpawner.Sh("exec sleep 1000", app, workingDirectory: "/usr") with { Credentials = Nobody(), Umask = 0x17 /* 027 */ };

        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(request));

        Assert.Equal("/" + Path.GetRelativePath(sandbox.Mount, app.Path), SelfCgroup.TryRead(started.Pid));
        Assert.Equal([started.Pid], app.ReadProcs());
        Dictionary<string, string> status = Status(started.Pid);
        Assert.Equal("65534\t65534\t65534\t65534", status["Uid"]);
        Assert.Equal("65534\t65534\t65534\t65534", status["Gid"]);
        Assert.Equal("65534", status["Groups"]);
        Assert.Equal("0000000000000000", status["SigIgn"]);
        Assert.Equal("0000000000000000", status["SigBlk"]);
        Assert.Equal("0000000000000000", status["CapEff"]);
        Assert.Equal("0027", status["Umask"]);
        Assert.Equal("0", status["NoNewPrivs"]);
        Assert.Equal(started.Pid, Interop.Libc.GetSid(started.Pid));
        Assert.Equal("/usr", new DirectoryInfo($"/proc/{started.Pid}/cwd").LinkTarget);
        await SleepingChild.WaitAsync(started.Pid, Wait);
        Assert.Equal(["0", "1", "2"], Directory.GetFileSystemEntries($"/proc/{started.Pid}/fd").Select(Path.GetFileName).Order());
        Assert.Equal("/dev/null", new FileInfo($"/proc/{started.Pid}/fd/0").LinkTarget);
        Assert.Equal("/dev/null", new FileInfo($"/proc/{started.Pid}/fd/1").LinkTarget);

        app.Kill();
        Assert.Equal(ExitStatus.Killed(9), await started.ExitAsync());
    }

    [Fact]
    public async Task Spawn_ChildForksAtOnce_EveryDescendantIsInsideTheCgroup()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        Spawner spawner = TestSpawner.Create();
        await AssertForkAtOnceContained(spawner, app);
        Assert.Equal(TestSpawner.CloneIntoCgroupDisabled, spawner.UsedCgroupProcsFallback); // a fresh cgroup never needs cgroup.procs
    }

    [Fact]
    public async Task Spawn_IntoACgroupThatWasKilledBefore_TheChildRuns()
    {
        // Some kernels SIGKILL a child cloned into a cgroup whose cgroup.kill count differs from the parent's; the
        // spawner checks once and then joins through cgroup.procs. Every restart after a stop by cgroup.kill needs this.
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        app.Kill();
        using var fifo = new TestFifo();
        Spawner spawner = TestSpawner.Create();
        var started = TestSpawner.AssertStarted(spawner.Spawn(TestSpawner.Sh("echo alive; exec sleep 1000", app) with { Stdout = SpawnOutput.Fifo(fifo.Path) }));
        Assert.Equal("alive", await fifo.ReadLineAsync(Wait, "the child in a cgroup that was killed before"));
        Assert.Equal([started.Pid], app.ReadProcs());
        // Such a kernel kills the CLONE_INTO_CGROUP child at birth; the helper cloned it again through cgroup.procs.
        Assert.Equal(TestSpawner.CloneIntoCgroupProblem is not null, spawner.UsedCgroupProcsFallback);
        app.Kill();
        Assert.Equal(ExitStatus.Killed(9), await started.ExitAsync());
    }

    internal static async Task AssertForkAtOnceContained(Spawner spawner, CgroupNode app)
    {
        using var fifo = new TestFifo();
        SpawnRequest request = TestSpawner.Sh("sleep 1000 & sleep 1001 & echo $!; wait", app) with { Stdout = SpawnOutput.Fifo(fifo.Path) };

        var started = TestSpawner.AssertStarted(spawner.Spawn(request));
        int grandchild = int.Parse(await fifo.ReadLineAsync(Wait, "the pid of the second sleep"), CultureInfo.InvariantCulture);

        IReadOnlyList<int> procs = app.ReadProcs();
        Assert.Equal(3, procs.Count);
        Assert.Contains(started.Pid, procs);
        Assert.Contains(grandchild, procs);
        Assert.Equal(SelfCgroup.TryRead(started.Pid), SelfCgroup.TryRead(grandchild));
        app.Kill();
        await started.ExitAsync();
    }

    [Fact]
    public async Task Spawn_ExitStatuses_AreCollectedThroughThePidfdAndTheChildIsForgotten()
    {
        var registry = new ChildProcessRegistry();
        Spawner spawner = TestSpawner.Create(registry);
        var code = TestSpawner.AssertStarted(spawner.Spawn(TestSpawner.Sh("exit 3")));
        var high = TestSpawner.AssertStarted(spawner.Spawn(TestSpawner.Sh("exit 137")));
        var killed = TestSpawner.AssertStarted(spawner.Spawn(TestSpawner.Sh("kill -9 $$")));

        Assert.Equal(ExitStatus.Exited(3), await code.ExitAsync());
        Assert.Equal(ExitStatus.Exited(137), await high.ExitAsync()); // no 128+N guessing: waitid tells exit from signal
        Assert.Equal(ExitStatus.Killed(9), await killed.ExitAsync());
        Assert.Equal(0, registry.Count);
        Assert.False(Directory.Exists($"/proc/{code.Pid}"), "a reaped child leaves no zombie");
    }

    [Fact]
    public async Task Spawn_ManyAtOnceIntoOneCgroup_EveryChildRunsThereAndIsReapedWithItsOwnStatus()
    {
        // Spawns do not serialize on the registry's lock: each thread's child is registered and reaped as its own.
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        var registry = new ChildProcessRegistry();
        Spawner spawner = TestSpawner.Create(registry);
        using var gate = new TestFifo();
        const int count = 8;
        SpawnResult.Started[] started = await Task.WhenAll(Enumerable.Range(1, count).Select(i => Task.Run(() =>
            TestSpawner.AssertStarted(spawner.Spawn(TestSpawner.Sh($"read x < {gate.Path}; exit {i}", app))), Ct)));

        Assert.Equal(0, registry.SpawnsInFlight);
        Assert.Equal(started.Select(s => s.Pid).Order(), app.ReadProcs().Order());
        Assert.Equal(count, registry.Count);
        for (int i = 0; i < count; i++) gate.WriteLine("go");
        for (int i = 0; i < count; i++) Assert.Equal(ExitStatus.Exited(i + 1), await started[i].ExitAsync());
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void Spawn_NonexistentProgram_ReportsEnoentAndThePath()
    {
        SpawnRequest request = new("/nonexistent", [], "/tmp", []) { Subject = "service \"web\"" };
        var failed = TestSpawner.AssertFailed(TestSpawner.Create().Spawn(request));
        Assert.Equal("execve", failed.Step);
        Assert.Equal(Errno.ENOENT, failed.Errno);
        Assert.Equal("/nonexistent", failed.Path);
        Assert.Equal("service \"web\": spawn failed: /nonexistent (cwd /tmp): execve failed: No such file or directory (ENOENT)", failed.Message);
    }

    [Fact]
    public async Task Spawn_NotExecutableFile_ReportsEacces()
    {
        using var temp = new TempDirectory("pm-spawn-");
        string dir = temp.Path;
        string script = Path.Combine(dir, "run.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nexit 0\n", Ct);
        SpawnRequest request = new("./run.sh", [], dir, SpawnEnvironment.Clean(null, []));
        var failed = TestSpawner.AssertFailed(TestSpawner.Create().Spawn(request));
        Assert.Equal(Errno.EACCES, failed.Errno);
        Assert.Contains($"{script} (cwd {dir}): execve failed: Permission denied (EACCES)", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spawn_MissingWorkingDirectory_ReportsChdir()
    {
        SpawnRequest request = new("/bin/true", [], "/nonexistent-dir", []);
        var failed = TestSpawner.AssertFailed(TestSpawner.Create().Spawn(request));
        Assert.Equal("chdir", failed.Step);
        Assert.Equal(Errno.ENOENT, failed.Errno);
        Assert.Contains("/nonexistent-dir: chdir failed: No such file or directory (ENOENT); the working directory must exist", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_WorkingDirectoryOnlyRootCanEnter_TheServiceUserCannotEnterIt()
    {
        // N-29: the child changes directory after the privilege drop, with the service's own rights.
        using var temp = new TempDirectory("pm-cwd-");
        string parent = temp.Path;
        File.SetUnixFileMode(parent, (UnixFileMode)Convert.ToInt32("755", 8));
        string secret = Directory.CreateDirectory(Path.Combine(parent, "secret")).FullName;
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        SpawnRequest asNobody = new("/bin/true", [], secret, []) { Credentials = Nobody(), Subject = "service \"locked\"" };
        var failed = TestSpawner.AssertFailed(TestSpawner.Create().Spawn(asNobody));
        Assert.Equal("chdir", failed.Step);
        Assert.Equal(Errno.EACCES, failed.Errno);
        Assert.Equal(
            $"service \"locked\": spawn failed: {secret}: chdir failed: Permission denied (EACCES); the working directory must exist and be a directory user nobody (uid 65534) can enter",
            failed.Message);

        // The same directory is fine for a child that keeps root's identity.
        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(asNobody with { Credentials = null }));
        Assert.Equal(ExitStatus.Exited(0), await started.ExitAsync());
    }

    [Fact]
    public void Spawn_BareNameNotInPath_ReportsEnoentNamingPath()
    {
        SpawnRequest request = new("no-such-program-xyz", [], "/tmp", ["PATH=/usr/bin:/bin"]);
        var failed = TestSpawner.AssertFailed(TestSpawner.Create().Spawn(request));
        Assert.Equal(Errno.ENOENT, failed.Errno);
        Assert.Contains("no-such-program-xyz (not found in PATH=/usr/bin:/bin)", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spawn_ArgumentWithNulByte_IsRefusedBeforeAnythingRuns()
    {
        var failed = TestSpawner.AssertFailed(TestSpawner.Create().Spawn(new SpawnRequest("/bin/echo", ["a\0b"], "/tmp", [])));
        Assert.Contains("contains a NUL byte (a\\0b)", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_BareName_ResolvesThroughChildPathAndPassesArgvAndEnvironment()
    {
        using var fifo = new TestFifo();
        IReadOnlyList<string> env = SpawnEnvironment.Clean(null, [new("GREETING", "hi there")]);
        SpawnRequest request = new("sh", ["-c", "echo \"$0|$1|$GREETING|$HOME|$USER|$PWD|$(env | wc -l)\""], "/tmp", env)
        {
            Argv0 = "sh[web]",
            Stdout = SpawnOutput.Fifo(fifo.Path),
        };
        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(request));
        string line = await fifo.ReadLineAsync(Wait, "the child's echo");
        Assert.Equal(ExitStatus.Exited(0), await started.ExitAsync());
        Assert.StartsWith("sh[web]||hi there|/|root|/tmp|", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_Descriptor_ChildAppendsThroughTheFileTheDaemonOpenedAndStderrFollowsStdout()
    {
        using var temp = new TempDirectory("pm-spawn-");
        string dir = temp.Path;
        string log = Path.Combine(dir, "out.log");
        await File.WriteAllTextAsync(log, "before\n", Ct);
        using ConfinedDirectory directory = ConfinedDirectory.Open(dir);
        using (SafeFdHandle file = directory.OpenAppendFile("out.log", 0x1A0))
        {
            SpawnRequest request = TestSpawner.Sh("echo out; echo err >&2") with { Stdout = SpawnOutput.Descriptor(file) };
            var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(request));
            Assert.Equal(ExitStatus.Exited(0), await started.ExitAsync());
        }

        Assert.Equal("before\nout\nerr\n", await File.ReadAllTextAsync(log, Ct));
        Assert.Equal((UnixFileMode)0x1A0, File.GetUnixFileMode(log));
    }

    [Fact]
    public void Spawn_FifoTargetIsARegularFile_IsRefused()
    {
        string file = Path.GetTempFileName();
        try
        {
            var failed = TestSpawner.AssertFailed(TestSpawner.Create().Spawn(TestSpawner.Sh("true") with { Stdout = SpawnOutput.Fifo(file) }));
            Assert.Equal($"test: spawn failed: {file}: open failed: Invalid argument (EINVAL); the stdout target must be a FIFO", failed.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Spawn_NoNewPrivileges_IsSetInTheChild()
    {
        var started = TestSpawner.AssertStarted(TestSpawner.Create().Spawn(TestSpawner.Sh("exec sleep 1000") with { NoNewPrivileges = true }));
        Assert.Equal("1", Status(started.Pid)["NoNewPrivs"]);
        Assert.Equal(0, Interop.Libc.Kill(started.Pid, Interop.Libc.SIGKILL));
        Assert.Equal(ExitStatus.Killed(9), await started.ExitAsync());
    }

    [Fact]
    public async Task Spawn_ChildDefaults_OpenFilesSoftLimitIsResetAndTheHardLimitKept()
    {
        Spawner spawner = new(new ChildProcessRegistry(), TestSpawner.Reaper, new ChildDefaults(false, 512, 4096));
        var started = TestSpawner.AssertStarted(spawner.Spawn(TestSpawner.Sh("exec sleep 1000")));
        string line = File.ReadAllLines($"/proc/{started.Pid}/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        Assert.Equal(["512", "4096", "files"], line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, Interop.Libc.Kill(started.Pid, Interop.Libc.SIGKILL));
        await started.ExitAsync();

        ChildDefaults mine = ChildDefaults.ForThisProcess();
        Assert.Equal(Math.Min(ChildDefaults.DefaultOpenFilesSoft, mine.OpenFilesHard), mine.OpenFilesSoft);
    }
}
