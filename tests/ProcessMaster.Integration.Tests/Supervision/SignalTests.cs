using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// Signals to the daemon (docs/signals.md): SIGHUP reloads the definitions exactly like <c>pmctl update</c> and the
/// daemon stays up (audit N-09: it used to die); SIGUSR1 and <c>pmctl log-reopen</c> reopen the daemon log after an
/// external logrotate renamed it, through the same no-follow open as at start.
/// </summary>
public sealed class SignalTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public async ValueTask InitializeAsync()
    {
        Define("steady");
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "steady", s => s.Running, TimeSpan.FromSeconds(30), "steady RUNNING");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    private void Define(string app) => _daemon.WriteService(app, $$"""
        process:
          working_directory: {{_daemon.WorkDir(app)}}
          start_command: ["/bin/sleep", "3000017"]
        """);

    [Fact]
    public async Task Sighup_ReloadsDefinitionsLikeUpdate_AddedServiceStarts_ProblemsReported_DaemonStaysUp()
    {
        int pid = _daemon.Pid!.Value;
        IReadOnlyList<int> steady = (await ServiceStatus.ReadAsync(_daemon, "steady")).Pids;
        Define("fresh");
        File.WriteAllText(Path.Combine(_daemon.ConfigDirectory, "broken.yaml"), "process:\n  comand: [x]\n");
        File.SetUnixFileMode(Path.Combine(_daemon.ConfigDirectory, "broken.yaml"), DaemonInstance.TrustedFileMode);
        int mark = _daemon.Log.Length;

        _daemon.Signal(PosixSignalName.Hup);

        await _daemon.WaitForLogAsync("update (reload the service definitions) requested by SIGHUP", TimeSpan.FromSeconds(30), mark);
        // The same events as `pmctl update`: the summary, and each problem as a config event.
        await _daemon.WaitForLogAsync("update: 1 added (fresh), 0 modified, 0 removed, 0 kept as last good, 2 problems", TimeSpan.FromSeconds(30), mark);
        await _daemon.WaitForLogAsync("broken.yaml:2:3: process.comand: unknown key \"comand\"", TimeSpan.FromSeconds(30), mark);
        await ServiceStatus.WaitAsync(_daemon, "fresh", s => s.Running, TimeSpan.FromSeconds(30), "fresh RUNNING after SIGHUP");
        Assert.Equal(pid, _daemon.Pid);
        Assert.Equal(steady, (await ServiceStatus.ReadAsync(_daemon, "steady")).Pids);
    }

    [Fact]
    public async Task Sigusr1_AfterLogrotateRenamedTheLog_NextEventLandsInANewFileAtThePath()
    {
        string rotated = _daemon.LogFilePath + ".1";
        await _daemon.WaitForLogFileAsync("[daemon] running:", TimeSpan.FromSeconds(30));
        File.Move(_daemon.LogFilePath, rotated);

        _daemon.Signal(PosixSignalName.Usr1);

        string line = await _daemon.WaitForLogFileAsync("daemon log: reopening", TimeSpan.FromSeconds(30));
        Assert.Contains("(requested by SIGUSR1)", line, StringComparison.Ordinal);
        await AssertNextEventInNewFileAsync(rotated, "sigusr1");
    }

    [Fact]
    public async Task PmctlLogReopen_AfterLogrotateRenamedTheLog_NextEventLandsInANewFileAtThePath()
    {
        string rotated = _daemon.LogFilePath + ".1";
        await _daemon.WaitForLogFileAsync("[daemon] running:", TimeSpan.FromSeconds(30));
        File.Move(_daemon.LogFilePath, rotated);

        CommandResult reopen = await _daemon.PmctlAsync("log-reopen");

        Assert.True(reopen.ExitCode == 0, reopen.ToString());
        Assert.Equal($"daemon log reopened: {_daemon.LogFilePath}\n", reopen.Stdout);
        await _daemon.WaitForLogFileAsync("daemon log: reopening", TimeSpan.FromSeconds(30));
        await AssertNextEventInNewFileAsync(rotated, "pmctl");
    }

    [Fact]
    public async Task LogReopen_SymlinkPlantedAtThePath_IsNotFollowed_RefusedWithTheReason()
    {
        string rotated = _daemon.LogFilePath + ".1";
        string target = Path.Combine(_daemon.Root, "elsewhere.txt");
        File.WriteAllText(target, "");
        await _daemon.WaitForLogFileAsync("[daemon] running:", TimeSpan.FromSeconds(30));
        File.Move(_daemon.LogFilePath, rotated);
        File.CreateSymbolicLink(_daemon.LogFilePath, target);

        CommandResult reopen = await _daemon.PmctlAsync("log-reopen");

        Assert.True(reopen.ExitCode == 1, reopen.ToString());
        Assert.Contains($"log_reopen: cannot open {_daemon.LogFilePath}", reopen.Stderr, StringComparison.Ordinal);
        Assert.Equal("", File.ReadAllText(target));
        Assert.True(new FileInfo(_daemon.LogFilePath).LinkTarget is not null, "the symlink is left as it was");
        await _daemon.WaitForLogAsync("daemon log: cannot open", TimeSpan.FromSeconds(30)); // still on stderr
    }

    /// <summary>An event caused now is in the new file at the original path, not in the renamed one; the new file is 0640.</summary>
    private async Task AssertNextEventInNewFileAsync(string rotated, string flag)
    {
        CommandResult flagged = await _daemon.PmctlAsync("flag", "steady", flag);
        Assert.True(flagged.ExitCode == 0, flagged.ToString());
        await _daemon.WaitForLogFileAsync($"user flags set {flag}", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain($"user flags set {flag}", File.ReadAllText(rotated), StringComparison.Ordinal);
        Assert.DoesNotContain("daemon log: reopening", File.ReadAllText(rotated), StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0b110_100_000, File.GetUnixFileMode(_daemon.LogFilePath));
    }
}
