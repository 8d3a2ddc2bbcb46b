using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>Restarting the daemon changes nothing for the services (SPEC §3.2): they keep running and are adopted.</summary>
public sealed class AdoptionTests : IAsyncLifetime
{
    private static readonly string[] Apps = ["alpha", "beta", "gamma"];
    private DaemonInstance _daemon = null!;

    public ValueTask InitializeAsync()
    {
        _daemon = DaemonInstance.Create();
        foreach (string app in Apps)
        {
            _daemon.WriteService(app, $$"""
                process:
                  working_directory: {{_daemon.WorkDir(app)}}
                  start_command: ["/bin/sh", "-c", "echo started; exec sleep 1000"]
                """);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Theory]
    [InlineData(PosixSignalName.Term)]
    [InlineData(PosixSignalName.Int)]
    [InlineData(PosixSignalName.Kill)]
    public async Task DaemonRestart_AfterSignal_AdoptsRunningServicesWithTheSamePids(PosixSignalName signal)
    {
        await _daemon.StartAsync();
        var before = new Dictionary<string, IReadOnlyList<int>>();
        foreach (string app in Apps)
        {
            await _daemon.WaitForLogAsync($"app={app} STARTING -> RUNNING", TimeSpan.FromSeconds(30));
            await DaemonInstance.WaitUntilAsync(() => CgroupSandbox.Procs(_daemon.AppCgroup(app) + "/run").Count == 1, TimeSpan.FromSeconds(30), $"{app} has one process");
            before[app] = CgroupSandbox.Procs(_daemon.AppCgroup(app) + "/run");
        }

        await _daemon.StopAsync(signal);

        foreach (string app in Apps)
        {
            foreach (int pid in before[app]) Assert.True(Directory.Exists($"/proc/{pid}"), $"{app} pid {pid} died with the daemon");
            Assert.Equal(before[app], CgroupSandbox.Procs(_daemon.AppCgroup(app) + "/run"));
        }

        int mark = _daemon.Log.Length;
        await _daemon.StartAsync();
        foreach (string app in Apps)
        {
            await _daemon.WaitForLogAsync($"app={app} found running with 1 processes ({before[app][0]}); adopted without a restart", TimeSpan.FromSeconds(30), mark);
            Assert.Equal(before[app], CgroupSandbox.Procs(_daemon.AppCgroup(app) + "/run"));
        }
        Assert.DoesNotContain("STOPPED -> STARTING", _daemon.Log[mark..], StringComparison.Ordinal);

        // The new daemon shows them running and can stop them: nothing of them is left.
        foreach (string app in Apps)
        {
            ServiceStatus status = await ServiceStatus.ReadAsync(_daemon, app);
            Assert.Equal("RUNNING", status.Phase);
            Assert.Equal(before[app], status.Pids);
        }
        CommandResult stop = await _daemon.PmctlAsync("stop", "all");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        foreach (string app in Apps)
        {
            Assert.False(CgroupSandbox.IsPopulated(_daemon.AppCgroup(app)));
            foreach (int pid in before[app]) Assert.False(Directory.Exists($"/proc/{pid}") && !ProcFacts.IsZombie(pid), $"{app} pid {pid} survived the stop");
        }
    }
}
