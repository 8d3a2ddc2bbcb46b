using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Packaging;

/// <summary>
/// The daemon run the way packaging/processmaster.service runs it, without systemd as init: started inside the unit's
/// cgroup (a child of the sandbox standing in for <c>system.slice/processmaster.service</c>) with
/// <c>INVOCATION_ID</c> set and no <c>cgroup.root</c>, so the master cgroup lives inside the unit (what
/// <c>Delegate=yes</c> hands over); <c>systemctl stop</c> with <c>KillMode=process</c> is SIGTERM to the main process
/// only; <c>systemctl start</c> puts the next daemon into the unit's cgroup again, and it adopts the services.
/// </summary>
public sealed class RunLikeTheUnitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MasterInsideTheUnitCgroup_StopKeepsServices_NextStartAdoptsThem()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        string unit = Path.Combine(daemon.Sandbox.Path, "processmaster.service");
        Directory.CreateDirectory(unit);
        string config = File.ReadAllText(daemon.ConfigPath);
        File.WriteAllText(daemon.ConfigPath, config.Replace($"root: {daemon.Sandbox.Path}\n", "", StringComparison.Ordinal));
        Assert.DoesNotContain("root:", File.ReadAllText(daemon.ConfigPath), StringComparison.Ordinal);
        daemon.WriteService("web", $$"""
            process:
              working_directory: {{daemon.WorkDir("web")}}
              start_command: ["/bin/sh", "-c", "exec sleep 600"]
            """);
        daemon.Environment["INVOCATION_ID"] = "0123456789abcdef0123456789abcdef";
        string[] intoTheUnit = ["/bin/sh", "-c", $"echo $$ > {unit}/cgroup.procs && exec \"$0\" \"$@\""];

        await daemon.StartAsync(launcher: intoTheUnit);
        Assert.Contains($"the unit's own cgroup {unit} is the root", daemon.Log, StringComparison.Ordinal);
        string master = Path.Combine(unit, "pm");
        Assert.Equal(daemon.Sandbox.RelativePath + "/processmaster.service/pm/run", CgroupOf(daemon.Pid!.Value));
        ServiceStatus running = await ServiceStatus.WaitAsync(daemon, "web", s => s.Running, Wait, "web running");
        int pid = Assert.Single(running.Pids);
        Assert.Equal(daemon.Sandbox.RelativePath + "/processmaster.service/pm/pm-web/run", CgroupOf(pid));
        Assert.Empty(CgroupSandbox.Procs(unit)); // the unit's own cgroup holds no process: it can hand controllers down

        // systemctl stop, KillMode=process: SIGTERM to the main process only.
        Assert.Equal(0, await daemon.StopAsync());
        Assert.Equal([pid], CgroupSandbox.Procs(Path.Combine(master, "pm-web", "run")));

        // systemctl start: the next main process starts in the unit's cgroup and adopts the service.
        int mark = daemon.Log.Length;
        await daemon.StartAsync(launcher: intoTheUnit);
        await daemon.WaitForLogAsync("app=web", Wait, since: mark);
        ServiceStatus adopted = await ServiceStatus.WaitAsync(daemon, "web", s => s.Running, Wait, "web adopted");
        Assert.Equal([pid], adopted.Pids);
        Assert.Contains("adopted", daemon.Log[mark..], StringComparison.Ordinal);

        // With stop_services_on_shutdown (here: pmctl shutdown --stop-services) the services stop with the daemon.
        CommandResult shutdown = await daemon.PmctlAsync("shutdown", "--stop-services");
        Assert.True(shutdown.ExitCode == 0, shutdown.ToString());
        Assert.True(CgroupSandbox.WaitUntilEmpty(Path.Combine(master, "pm-web"), Wait), "pm-web empty after shutdown --stop-services");
    }

    private static string CgroupOf(int pid) =>
        File.ReadAllLines($"/proc/{pid}/cgroup").Single(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
}
