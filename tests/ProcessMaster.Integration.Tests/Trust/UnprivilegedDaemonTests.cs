using ProcessMaster.Testing;
using static ProcessMaster.Testing.HostFiles;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>
/// SPEC §3.11: the daemon started as an ordinary user (nobody) on a cgroup subtree delegated to it, as
/// <c>systemd-run --user -p Delegate=yes</c> would hand it over, works: it creates and opens its cgroups (audit X2,
/// F7), runs and stops services as itself, and refuses what needs root at load.
/// </summary>
public sealed class UnprivilegedDaemonTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync()
    {
        // The delegation a service manager performs: the subtree and its delegation files belong to the user, and
        // the user's process starts inside it (here in the leaf "launch").
        string sandbox = _daemon.Sandbox.Path;
        foreach (string owned in new[] { "", "cgroup.procs", "cgroup.threads", "cgroup.subtree_control" })
            Chown(Path.Combine(sandbox, owned), Nobody, Nobody);
        Directory.CreateDirectory(Path.Combine(sandbox, "launch"));
        Chown(Path.Combine(sandbox, "launch"), Nobody, Nobody);
        Chown(Path.Combine(sandbox, "launch", "cgroup.procs"), Nobody, Nobody);
        // Its own directory for the socket, state and logs; the definitions stay root's.
        Chown(_daemon.Root, Nobody, Nobody);
        Chmod(_daemon.Root, "0755");
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task StartedAsNobody_OnADelegatedSubtree_RunsAndStopsServices()
    {
        string work = NobodyServices.WorkDir(_daemon, "app");
        NobodyServices.WriteSleeper(_daemon, "app", work);
        NobodyServices.WriteSleeper(_daemon, "other", work, "  user: daemon\n");

        _daemon.DaemonUid = 65534; // pmctl trusts root only unless told the daemon's user
        await _daemon.StartAsync(launcher: ["/bin/sh", "-c", $"echo $$ > {_daemon.Sandbox.Path}/launch/cgroup.procs && exec setpriv --reuid=65534 --regid=65534 --clear-groups \"$@\"", "launch"]);

        Assert.Equal("65534\t65534\t65534\t65534", ProcFacts.StatusField(_daemon.Pid!.Value, "Uid"));
        Assert.Contains("not running as root: every service runs as nobody (uid 65534, gid 65534)", _daemon.Log, StringComparison.Ordinal);
        await NobodyServices.StopAndStartAsync(_daemon, "app");
        Assert.Equal(Nobody, Stat(_daemon.AppCgroup("app")).Uid);
        Assert.Equal("0755", Stat(_daemon.AppCgroup("app")).Mode);

        Assert.Contains("service \"other\" is not loaded: process.user \"daemon\" is uid 1, but the daemon runs as nobody (uid 65534, gid 65534) and can start services only as itself", _daemon.Log, StringComparison.Ordinal);
        Assert.Equal(0, await _daemon.StopAsync());
    }
}
