using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>Audit N-18: an app cgroup removed from outside while the app is stopped is made again on the next start.</summary>
public sealed class CgroupRecreateTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("hyg", $$"""
            process:
              working_directory: {{_daemon.WorkDir("hyg")}}
              start_command: ["/bin/sleep", "4000003"]
            """);
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "hyg", s => s.Running, TimeSpan.FromSeconds(30), "hyg RUNNING");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task AppCgroupRemovedWhileStopped_NextStart_RecreatesItAndRuns()
    {
        CommandResult stop = await _daemon.PmctlAsync("stop", "hyg");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        string cgroup = _daemon.AppCgroup("hyg");
        Directory.Delete(Path.Combine(cgroup, "run"));
        Directory.Delete(cgroup);

        CommandResult start = await _daemon.PmctlAsync("start", "hyg");

        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Equal("hyg: started (RUNNING)\n", start.Stdout);
        Assert.Contains($"[cgroup] app=hyg {cgroup} was removed from outside the daemon; creating it again", _daemon.Log, StringComparison.Ordinal);
        ServiceStatus running = await ServiceStatus.ReadAsync(_daemon, "hyg");
        int pid = Assert.Single(running.Pids);
        Assert.Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(cgroup, "run", "cgroup.procs")), StringComparison.Ordinal);

        // And it is watched again: a stop ends with the cgroup empty.
        CommandResult again = await _daemon.PmctlAsync("stop", "hyg");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("hyg: stopped (STOPPED)\n", again.Stdout);
    }
}
