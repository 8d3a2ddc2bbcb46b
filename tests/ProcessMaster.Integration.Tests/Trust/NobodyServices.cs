using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>Services that run as nobody, for the tests of a daemon that is (or becomes) nobody.</summary>
internal static class NobodyServices
{
    /// <summary>A working directory owned by nobody (the daemon, as nobody, creates the service's logs there).</summary>
    public static string WorkDir(DaemonInstance daemon, string app)
    {
        string work = daemon.WorkDir(app);
        HostFiles.Chown(work, HostFiles.Nobody, HostFiles.Nobody);
        return work;
    }

    /// <summary>Writes a service that sleeps; <paramref name="processKeys"/> are more <c>process:</c> lines (indented two spaces).</summary>
    public static void WriteSleeper(DaemonInstance daemon, string name, string work, string processKeys = "") =>
        daemon.WriteService(name, $"process:\n  working_directory: {work}\n  start_command: [\"/bin/sh\", \"-c\", \"echo up; exec sleep 100000\"]\n{processKeys}");

    /// <summary>Waits for <paramref name="app"/> to run as nobody, stops it (nothing left), starts it again, as nobody.</summary>
    public static async Task StopAndStartAsync(DaemonInstance daemon, string app)
    {
        await RunningAsNobodyAsync(daemon, app, "RUNNING");
        CommandResult stop = await daemon.PmctlAsync("stop", app);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.False(CgroupSandbox.IsPopulated(daemon.AppCgroup(app)), $"{app} left processes after stop");
        CommandResult start = await daemon.PmctlAsync("start", app);
        Assert.True(start.ExitCode == 0, start.ToString());
        await RunningAsNobodyAsync(daemon, app, "RUNNING again");
    }

    private static async Task RunningAsNobodyAsync(DaemonInstance daemon, string app, string awaited)
    {
        ServiceStatus status = await ServiceStatus.WaitAsync(daemon, app, s => s.Phase == "RUNNING" && s.Pids.Count > 0, TimeSpan.FromSeconds(30), $"{app} {awaited}");
        Assert.Equal("65534\t65534\t65534\t65534", ProcFacts.StatusField(status.Pids[0], "Uid"));
    }
}
