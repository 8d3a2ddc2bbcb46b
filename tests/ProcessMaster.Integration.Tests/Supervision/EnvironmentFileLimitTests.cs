using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// <c>@file://</c> environment values count in the environment's 128 KiB cap (audit N-04): the load checks the literal
/// values, the start checks the whole environment once the files are read. A start over the cap is a clear error, the
/// service is not spawned, the daemon and the other services go on.
/// </summary>
public sealed class EnvironmentFileLimitTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task EnvironmentFilesOverTheCapTogether_StartRefusedNamingTheLimit_WithinTheCapStarts()
    {
        string work = _daemon.WorkDir("envfiles");
        // Three files of 60,000 bytes: each is under the 64 KiB cap of one @file:// value, together they are 180 KB.
        for (int i = 0; i < 3; i++)
            await File.WriteAllTextAsync(Path.Combine(work, $"value{i}.txt"), new string('v', 60_000), TestContext.Current.CancellationToken);
        string EnvironmentLines(int files) => string.Concat(Enumerable.Range(0, files).Select(i => $"    - {{ name: V{i}, value: \"@file://{work}/value{i}.txt\" }}\n"));
        string Definition(int files) => $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "echo $((${#V0} + ${#V1})) > length.txt; exec sleep 100000"]
              environment:
            {{EnvironmentLines(files)}}restart_policy:
              policy: never
            global:
              enabled: false

            """;
        _daemon.WriteService("envfiles", Definition(3));
        _daemon.WriteService("bystander", $"process:\n  working_directory: {_daemon.WorkDir("bystander")}\n  start_command: [\"/bin/sleep\", \"100000\"]\n");
        await _daemon.StartAsync();
        ServiceStatus bystander = await ServiceStatus.WaitAsync(_daemon, "bystander", s => s.Phase == "RUNNING" && s.Pids.Count > 0, Wait, "bystander RUNNING");

        // --check and the load accept it (the literal part is tiny); the start reads the files and refuses.
        CommandResult start = await _daemon.PmctlAsync("start", "envfiles", "--force");

        Assert.True(start.ExitCode == 1, start.ToString());
        const string Expected = "service \"envfiles\": environment V2: with the @file:// values read, the environment is over the limit of 131072 bytes";
        Assert.Contains(Expected, start.Stdout + start.Stderr, StringComparison.Ordinal);
        Assert.Contains(_daemon.Log.Split('\n'), l => l.Contains("[state] app=envfiles ", StringComparison.Ordinal) && l.Contains(Expected, StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(work, "length.txt")), "the service was spawned");
        Assert.Equal("STOPPED", (await ServiceStatus.ReadAsync(_daemon, "envfiles")).Phase);
        Assert.NotNull(_daemon.Pid);
        Assert.Equal(bystander.Pids, (await ServiceStatus.ReadAsync(_daemon, "bystander")).Pids);

        // Two files (120 KB) fit: the same definition starts once the third is gone.
        _daemon.WriteService("envfiles", Definition(2));
        CommandResult update = await _daemon.PmctlAsync("update");
        Assert.True(update.ExitCode == 0, update.ToString());
        CommandResult again = await _daemon.PmctlAsync("start", "envfiles", "--force");
        Assert.True(again.ExitCode == 0, again.ToString());
        await DaemonInstance.WaitUntilAsync(() => File.Exists(Path.Combine(work, "length.txt")) && File.ReadAllText(Path.Combine(work, "length.txt")) == "120000\n",
            Wait, "the service to see both values whole");
    }

    [Fact]
    public async Task EnvironmentFileThatIsAFifoOrTooLarge_StartRefusedClearly_DaemonNeverBlocks()
    {
        // Audit #21: a FIFO would block a reader forever; a file over 64 KiB is not read whole.
        string work = _daemon.WorkDir("odd");
        string fifo = Path.Combine(work, "fifo");
        CommandResult mkfifo = await CommandRun.RunAsync("/usr/bin/mkfifo", [fifo]);
        Assert.True(mkfifo.ExitCode == 0, mkfifo.ToString());
        string large = Path.Combine(work, "large");
        await File.WriteAllTextAsync(large, new string('x', 70_000), TestContext.Current.CancellationToken);
        foreach ((string app, string file) in new[] { ("fromfifo", fifo), ("fromlarge", large) })
        {
            _daemon.WriteService(app, $"process:\n  working_directory: {work}\n  start_command: [\"/bin/sleep\", \"100000\"]\n"
                + $"  environment:\n    - {{ name: V, value: \"@file://{file}\" }}\nrestart_policy:\n  policy: never\nglobal:\n  enabled: false\n");
        }
        await _daemon.StartAsync();

        foreach ((string app, string expected) in new[] { ("fromfifo", $"environment V=@file://{fifo}: "), ("fromlarge", $"environment V=@file://{large}: ") })
        {
            CommandResult start = await _daemon.PmctlAsync("start", app, "--force");
            Assert.True(start.ExitCode == 1, start.ToString());
            Assert.Contains($"service \"{app}\": {expected}", start.Stdout + start.Stderr, StringComparison.Ordinal);
            Assert.Contains("fix the file or the definition", start.Stdout + start.Stderr, StringComparison.Ordinal);
            Assert.Equal("STOPPED", (await ServiceStatus.ReadAsync(_daemon, app)).Phase);
        }
        CommandResult status = await _daemon.PmctlAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
    }
}
