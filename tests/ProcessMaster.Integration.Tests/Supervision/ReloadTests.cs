using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary><c>pmctl update</c>: added, removed, modified and broken definitions on a running daemon.</summary>
public sealed class ReloadTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public async ValueTask InitializeAsync()
    {
        foreach (string app in new[] { "keep", "drop", "change", "broken" })
            Define(app, "100000");
        await _daemon.StartAsync();
        foreach (string app in new[] { "keep", "drop", "change", "broken" })
            await ServiceStatus.WaitAsync(_daemon, app, s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), $"{app} RUNNING");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    private void Define(string app, string seconds) => _daemon.WriteService(app, $$"""
        process:
          working_directory: {{_daemon.WorkDir(app)}}
          start_command: ["/bin/sleep", "{{seconds}}"]
        """);

    [Fact]
    public async Task Update_AppliesEveryKindOfChange()
    {
        IReadOnlyList<int> keep = (await ServiceStatus.ReadAsync(_daemon, "keep")).Pids;
        IReadOnlyList<int> change = (await ServiceStatus.ReadAsync(_daemon, "change")).Pids;
        IReadOnlyList<int> broken = (await ServiceStatus.ReadAsync(_daemon, "broken")).Pids;

        File.Delete(Path.Combine(_daemon.ConfigDirectory, "drop.yaml"));
        Define("change", "200000");
        File.WriteAllText(Path.Combine(_daemon.ConfigDirectory, "broken.yaml"), "process:\n  comand: [x]\n");
        Define("fresh", "100000");

        CommandResult update = await _daemon.PmctlAsync("update");
        // The update applied what loaded, and says so; the broken file makes it exit 1 with its problems listed.
        Assert.True(update.ExitCode == 1, update.ToString());
        Assert.Contains("updated: 1 added (fresh), 1 modified (change), 1 removed (drop), 1 kept as last good (broken)", update.Stdout, StringComparison.Ordinal);
        Assert.Contains("broken.yaml:2:3: process.comand: unknown key \"comand\"", update.Stderr, StringComparison.Ordinal);

        // Unchanged: untouched.
        Assert.Equal(keep, (await ServiceStatus.ReadAsync(_daemon, "keep")).Pids);
        // Modified: restarted with the new definition.
        ServiceStatus changed = await ServiceStatus.WaitAsync(_daemon, "change", s => s.Phase == "RUNNING" && !s.Pids.SequenceEqual(change), TimeSpan.FromSeconds(30), "change restarted");
        Assert.Contains(ProcFacts.PidsWithMarker("sleep 200000"), changed.Pids.Contains);
        // Broken: keeps running on its last good definition, flagged outdated.
        ServiceStatus outdated = await ServiceStatus.ReadAsync(_daemon, "broken");
        Assert.Equal(broken, outdated.Pids);
        Assert.Contains("outdated", outdated.SystemFlags);
        Assert.Contains("broken.yaml", _daemon.Log, StringComparison.Ordinal);
        // Added: started.
        await ServiceStatus.WaitAsync(_daemon, "fresh", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "fresh RUNNING");
        // Removed: stopped, nothing left, its cgroup gone, and unknown to status.
        await DaemonInstance.WaitUntilAsync(() => !Directory.Exists(_daemon.AppCgroup("drop")), TimeSpan.FromSeconds(30), "drop's cgroup removed");
        Assert.Equal(1, (await _daemon.PmctlAsync("status", "drop")).ExitCode);
    }
}
