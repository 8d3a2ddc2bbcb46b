using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>The daemon's socket path in a directory other users can write (N-13): a squatter is named, the directory is warned about.</summary>
public sealed class SocketSetupTests : IAsyncLifetime
{
    private readonly string _shared = NobodyPeer.CreateSharedDirectory();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(_shared)!, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task SocketPathTakenByNobody_DaemonRefusesNamingTheSquatter_NotAsAnotherDaemon()
    {
        string socket = Path.Combine(_shared, "pm.sock");
        await using NobodyPeer squatter = NobodyPeer.ListenSilently(socket);
        Assert.Equal("listening", await squatter.ReadLineAsync(TimeSpan.FromSeconds(30)));
        await using DaemonInstance daemon = DaemonInstance.Create(socketPath: socket);
        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["-c", daemon.ConfigPath], workingDirectory: daemon.Root);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"processmaster: cannot start: unix socket {socket}: taken by a process of uid 65534 (pid {squatter.Pid}); the socket file is owned by uid 65534; " +
                        "it is not a processmaster daemon of root or of this daemon's user, so it is not replaced", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("already running", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(socket), "the squatter's socket file is left alone");
    }

    [Fact]
    public async Task SocketDirectoryWritableByEveryone_IsWarnedAbout_StickyOrNot()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(socketPath: Path.Combine(_shared, "pm.sock"));
        await daemon.StartAsync();
        string warning = await daemon.WaitForLogAsync("WARNING unix socket directory", TimeSpan.FromSeconds(10));
        Assert.Contains($"WARNING unix socket directory {_shared} (mode 1777) is writable by every user (the sticky bit does not help: anyone can take a free name); " +
                        "another user can bind the socket path before the daemon does, and pmctl would talk to them; use a directory only root can write, e.g. /run/processmaster",
            warning, StringComparison.Ordinal);
        Assert.Equal(0, (await daemon.PmctlAsync("status")).ExitCode);
    }
}
