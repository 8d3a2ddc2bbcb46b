using System.Diagnostics;
using System.Globalization;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Spawn;

public class SpawnerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Status(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status")
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0], p => p[1].Trim());

    [Fact]
    public async Task Spawn_AsNobodyInCgroup_KernelShowsCgroupCredentialsSignalsAndSession()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        Assert.True(UserDatabase.TryResolve("nobody", null, out UserCredentials? nobody, out _));
        SpawnRequest request = ShimSpawner.Sh("exec sleep 1000", app.Path) with { Credentials = nobody };

        var started = ShimSpawner.AssertStarted(await ShimSpawner.Create().SpawnAsync(request, Ct));

        Assert.Equal("/" + Path.GetRelativePath(sandbox.Mount, app.Path), SelfCgroup.TryRead(started.Pid));
        Assert.Equal([started.Pid], app.ReadProcs());
        Dictionary<string, string> status = Status(started.Pid);
        Assert.Equal("65534\t65534\t65534\t65534", status["Uid"]);
        Assert.Equal("65534\t65534\t65534\t65534", status["Gid"]);
        Assert.Equal("65534", status["Groups"]);
        Assert.Equal("0000000000000000", status["SigIgn"]);
        Assert.Equal("0000000000000000", status["SigBlk"]);
        Assert.Equal(started.Pid, Interop.Libc.GetSid(started.Pid));
        Assert.Equal(["0", "1", "2"], Directory.GetFileSystemEntries($"/proc/{started.Pid}/fd").Select(Path.GetFileName).Order());
        Assert.Equal("/dev/null", new FileInfo($"/proc/{started.Pid}/fd/0").LinkTarget);
        Assert.Equal("/dev/null", new FileInfo($"/proc/{started.Pid}/fd/1").LinkTarget);

        app.Kill();
        await started.Process.WaitForExitAsync(Ct);
    }

    [Fact]
    public async Task Spawn_ChildForksAtOnce_EveryDescendantIsInsideTheCgroup()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        using CgroupNode app = root.CreateChild("app");
        using var fifo = new TestFifo();
        SpawnRequest request = ShimSpawner.Sh("sleep 1000 & sleep 1001 & echo $!; wait", app.Path) with { Stdout = SpawnOutput.Fifo(fifo.Path) };

        var started = ShimSpawner.AssertStarted(await ShimSpawner.Create().SpawnAsync(request, Ct));
        int grandchild = int.Parse(await fifo.ReadLineAsync(Wait, "the pid of the second sleep"), CultureInfo.InvariantCulture);

        IReadOnlyList<int> procs = app.ReadProcs();
        Assert.Equal(3, procs.Count);
        Assert.Contains(started.Pid, procs);
        Assert.Contains(grandchild, procs);
        Assert.Equal(SelfCgroup.TryRead(started.Pid), SelfCgroup.TryRead(grandchild));
        app.Kill();
        await started.Process.WaitForExitAsync(Ct);
    }

    [Fact]
    public async Task Spawn_NonexistentProgram_ReportsEnoentAndThePath()
    {
        SpawnRequest request = new("/nonexistent", [], "/tmp", []) { Subject = "service \"web\"" };
        var failed = ShimSpawner.AssertFailed(await ShimSpawner.Create().SpawnAsync(request, Ct));
        Assert.Equal("execve", failed.Step);
        Assert.Equal(Errno.ENOENT, failed.Errno);
        Assert.Equal("service \"web\": spawn failed: /nonexistent (cwd /tmp): execve failed: No such file or directory (ENOENT)", failed.Message);
    }

    [Fact]
    public async Task Spawn_NotExecutableFile_ReportsEacces()
    {
        string dir = Directory.CreateTempSubdirectory("pm-spawn-").FullName;
        try
        {
            string script = Path.Combine(dir, "run.sh");
            await File.WriteAllTextAsync(script, "#!/bin/sh\nexit 0\n", Ct);
            SpawnRequest request = new("./run.sh", [], dir, SpawnEnvironment.Clean(null, []));
            var failed = ShimSpawner.AssertFailed(ShimSpawner.Create().Spawn(request));
            Assert.Equal(Errno.EACCES, failed.Errno);
            Assert.Contains($"{script} (cwd {dir}): execve failed: Permission denied (EACCES)", failed.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Spawn_MissingWorkingDirectory_ReportsChdir()
    {
        SpawnRequest request = new("/bin/true", [], "/nonexistent-dir", []);
        var failed = ShimSpawner.AssertFailed(await ShimSpawner.Create().SpawnAsync(request, Ct));
        Assert.Equal("chdir", failed.Step);
        Assert.Equal(Errno.ENOENT, failed.Errno);
        Assert.Contains("/nonexistent-dir: chdir failed: No such file or directory (ENOENT); the working directory must exist", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_BareNameNotInPath_ReportsEnoentNamingPath()
    {
        SpawnRequest request = new("no-such-program-xyz", [], "/tmp", ["PATH=/usr/bin:/bin"]);
        var failed = ShimSpawner.AssertFailed(await ShimSpawner.Create().SpawnAsync(request, Ct));
        Assert.Equal(Errno.ENOENT, failed.Errno);
        Assert.Contains("no-such-program-xyz (not found in PATH=/usr/bin:/bin)", failed.Message, StringComparison.Ordinal);
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
        var started = ShimSpawner.AssertStarted(await ShimSpawner.Create().SpawnAsync(request, Ct));
        string line = await fifo.ReadLineAsync(Wait, "the child's echo");
        await started.Process.WaitForExitAsync(Ct);
        Assert.Equal(0, started.Process.ExitCode);
        Assert.StartsWith("sh[web]||hi there|/|root|/tmp|", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_AppendFile_AppendsAndStderrFollowsStdout()
    {
        string dir = Directory.CreateTempSubdirectory("pm-spawn-").FullName;
        try
        {
            string log = Path.Combine(dir, "out.log");
            await File.WriteAllTextAsync(log, "before\n", Ct);
            SpawnRequest request = ShimSpawner.Sh("echo out; echo err >&2") with { Stdout = SpawnOutput.AppendFile(log) };
            var started = ShimSpawner.AssertStarted(await ShimSpawner.Create().SpawnAsync(request, Ct));
            await started.Process.WaitForExitAsync(Ct);
            Assert.Equal("before\nout\nerr\n", await File.ReadAllTextAsync(log, Ct));

            string link = Path.Combine(dir, "link.log");
            File.CreateSymbolicLink(link, log);
            var failed = ShimSpawner.AssertFailed(await ShimSpawner.Create().SpawnAsync(ShimSpawner.Sh("true") with { Stdout = SpawnOutput.AppendFile(link) }, Ct));
            Assert.Equal(Errno.ELOOP, failed.Errno);
            Assert.Contains(link, failed.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Spawn_FifoTargetIsARegularFile_IsRefused()
    {
        string file = Path.GetTempFileName();
        try
        {
            var failed = ShimSpawner.AssertFailed(await ShimSpawner.Create().SpawnAsync(ShimSpawner.Sh("true") with { Stdout = SpawnOutput.Fifo(file) }, Ct));
            Assert.Equal($"test: spawn failed: {file}: open failed: Invalid argument (EINVAL); the stdout target must be a FIFO", failed.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Spawn_ShimMissing_ReportsTheShimPath()
    {
        var spawner = new Spawner(new ChildProcessRegistry()) { ShimPath = "/nonexistent/processmaster" };
        var failed = ShimSpawner.AssertFailed(await spawner.SpawnAsync(ShimSpawner.Sh("true"), Ct));
        Assert.Equal("start shim", failed.Step);
        Assert.Equal(Errno.ENOENT, failed.Errno);
        Assert.Contains("cannot start the spawn shim /nonexistent/processmaster", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_Repeated_MeasuresLatency()
    {
        Spawner spawner = ShimSpawner.Create();
        var samples = new List<double>();
        for (int i = 0; i < 21; i++)
        {
            var clock = Stopwatch.StartNew();
            var started = ShimSpawner.AssertStarted(await spawner.SpawnAsync(new SpawnRequest("/bin/true", [], "/", []), Ct));
            samples.Add(clock.Elapsed.TotalMilliseconds);
            await started.Process.WaitForExitAsync(Ct);
        }

        samples.Sort();
        output.WriteLine($"spawn via {ShimSpawner.ShimPath} until exec: median {samples[samples.Count / 2]:0.0} ms, min {samples[0]:0.0} ms, max {samples[^1]:0.0} ms over {samples.Count}");
    }
}
