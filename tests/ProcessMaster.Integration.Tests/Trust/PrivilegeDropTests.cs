using System.Globalization;
using ProcessMaster.Testing;
using static ProcessMaster.Testing.HostFiles;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>
/// <c>global.user: nobody</c> on a root daemon: it binds the socket and delegates the master cgroup as root, then
/// drops for good on every thread; services run and stop as nobody; what needs root is refused at load.
/// </summary>
public sealed class PrivilegeDropTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create(extraGlobal: "user: nobody");

    public ValueTask InitializeAsync()
    {
        Chmod(_daemon.Root, "0755"); // nobody must reach its configuration, state and the services' directories
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task GlobalUserNobody_DropsOnEveryThread_ServicesRunAndStopAsNobody_CgroupDelegated()
    {
        string work = NobodyServices.WorkDir(_daemon, "app");
        NobodyServices.WriteSleeper(_daemon, "app", work);
        NobodyServices.WriteSleeper(_daemon, "asroot", work, "  user: root\n  allow_root: true\n");
        _daemon.WriteService("chowner", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/true"]
            provisioning:
              - path: ./data
                ownership: { owner: nobody }
            """);
        await _daemon.StartAsync();

        // The drop, on every thread of the daemon.
        Assert.Contains("dropped privileges to nobody (uid 65534, gid 65534)", _daemon.Log, StringComparison.Ordinal);
        int pid = _daemon.Pid!.Value;
        string[] tasks = Directory.GetDirectories($"/proc/{pid}/task");
        Assert.True(tasks.Length > 1, "the daemon should run several threads");
        foreach (string task in tasks)
        {
            string status = await File.ReadAllTextAsync(Path.Combine(task, "status"), TestContext.Current.CancellationToken);
            Assert.Contains("Uid:\t65534\t65534\t65534\t65534\n", status, StringComparison.Ordinal);
            Assert.Contains("Gid:\t65534\t65534\t65534\t65534\n", status, StringComparison.Ordinal);
            Assert.Contains("Groups:\t65534 \n", status, StringComparison.Ordinal);
            Assert.Contains("CapEff:\t0000000000000000\n", status, StringComparison.Ordinal);
        }

        // Services run as nobody, and start and stop.
        await NobodyServices.StopAndStartAsync(_daemon, "app");
        Assert.Contains("app=app STARTING -> RUNNING (spawned, main pid", _daemon.Log, StringComparison.Ordinal);
        Assert.Contains("as uid 65534 gid 65534)", _daemon.Log, StringComparison.Ordinal);

        // What needs root was refused when the definitions loaded.
        Assert.Contains("service \"asroot\" is not loaded: process.user \"root\" is uid 0, but the daemon runs as nobody (uid 65534, gid 65534) and can start services only as itself", _daemon.Log, StringComparison.Ordinal);
        Assert.Contains("service \"chowner\" is not loaded: provisioning changes ownership or capabilities, which needs root, and the daemon runs as nobody (uid 65534, gid 65534)", _daemon.Log, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(work, "data")));

        // Delegation: the master directory and its three delegation files are nobody's, its own limits stay root's;
        // the cgroups made after the drop are nobody's.
        foreach (string owned in new[] { "", "cgroup.procs", "cgroup.threads", "cgroup.subtree_control" })
            Assert.Equal(Nobody, Stat(Path.Combine(_daemon.MasterCgroup, owned)).Uid);
        Assert.Equal(0u, Stat(Path.Combine(_daemon.MasterCgroup, "cgroup.max.depth")).Uid);
        Assert.Equal(Nobody, Stat(_daemon.AppCgroup("app")).Uid);
        Assert.Equal(Nobody, Stat(Path.Combine(_daemon.AppCgroup("app"), "cgroup.kill")).Uid);

        // The socket was bound by root; the state and log locations are nobody's.
        FileFacts socket = Stat(_daemon.SocketPath);
        Assert.True(socket is { Uid: 0, Gid: 0, Mode: "0600" }, socket.ToString());
        FileFacts state = Stat(Path.GetDirectoryName(_daemon.StatePath)!);
        Assert.True(state is { Uid: Nobody, Mode: "0700" }, state.ToString());
        await DaemonInstance.WaitUntilAsync(() => File.Exists(_daemon.StatePath), TimeSpan.FromSeconds(10), "the state file");
        Assert.Equal(Nobody, Stat(_daemon.StatePath).Uid);
        Assert.Equal(Nobody, Stat(Path.Combine(_daemon.Root, "logs")).Uid);

        Assert.Equal(0, await _daemon.StopAsync());
    }

    [Fact]
    public async Task GlobalUserNobody_SecondStart_AdoptsTheServiceAndDropsAgain()
    {
        NobodyServices.WriteSleeper(_daemon, "keep", NobodyServices.WorkDir(_daemon, "keep"));
        await _daemon.StartAsync();
        ServiceStatus first = await ServiceStatus.WaitAsync(_daemon, "keep", s => s.Pids.Count > 0, TimeSpan.FromSeconds(30), "keep RUNNING");
        Assert.Equal(0, await _daemon.StopAsync());

        int mark = _daemon.Log.Length;
        await _daemon.StartAsync();
        await _daemon.WaitForLogAsync("app=keep found running with 1 processes", TimeSpan.FromSeconds(30), mark);
        ServiceStatus again = await ServiceStatus.ReadAsync(_daemon, "keep");
        Assert.Equal(first.Pids, again.Pids);
        Assert.Contains("dropped privileges to nobody", _daemon.Log[mark..], StringComparison.Ordinal);
        Assert.Equal(Nobody.ToString(CultureInfo.InvariantCulture), ProcFacts.StatusField(_daemon.Pid!.Value, "Uid").Split('\t')[0]);
    }
}
