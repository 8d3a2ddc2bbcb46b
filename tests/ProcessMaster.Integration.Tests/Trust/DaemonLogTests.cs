using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>
/// Root never writes its own log through a link or into a directory everyone can write (audit N-10): the log is
/// opened through its directory's fd without following a symlink, in a directory closed to others, and must be the
/// daemon's own file. Otherwise the daemon says so on stderr, keeps running, and events still reach stderr and pmctl.
/// </summary>
public sealed class DaemonLogTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task DaemonLogPlantedAsASymlink_NotFollowed_TargetUnchanged_DaemonRuns()
    {
        string canary = Path.Combine(_daemon.Root, "crontab");
        await File.WriteAllTextAsync(canary, "secret\n", TestContext.Current.CancellationToken);
        HostFiles.Chmod(canary, "0600");
        string logs = Directory.CreateDirectory(Path.GetDirectoryName(_daemon.LogFilePath)!).FullName;
        HostFiles.Chmod(logs, "0750");
        File.CreateSymbolicLink(_daemon.LogFilePath, canary);

        await _daemon.StartAsync();

        await _daemon.WaitForLogAsync($"processmaster: daemon log {_daemon.LogFilePath}: ", TimeSpan.FromSeconds(30));
        Assert.Contains("is a symlink; refusing to follow it", _daemon.Log, StringComparison.Ordinal);
        Assert.Equal("secret\n", await File.ReadAllTextAsync(canary, TestContext.Current.CancellationToken));
        Assert.Equal(new FileFacts(canary, 0, 0, "0600"), HostFiles.Stat(canary));
        CommandResult events = await _daemon.PmctlAsync("events");
        Assert.True(events.ExitCode == 0, events.ToString());
        Assert.Contains("running:", events.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaemonLogDirectoryWritableByEveryone_Refused_NothingWrittenThere()
    {
        string logs = Directory.CreateDirectory(Path.GetDirectoryName(_daemon.LogFilePath)!).FullName;
        HostFiles.Chmod(logs, "1777");

        await _daemon.StartAsync();

        await _daemon.WaitForLogAsync($"processmaster: daemon log {_daemon.LogFilePath}: ", TimeSpan.FromSeconds(30));
        Assert.Contains($"{logs}: the daemon log directory is writable by everyone (mode ", _daemon.Log, StringComparison.Ordinal);
        Assert.Contains("refusing to write the daemon log there; use a directory only root can write", _daemon.Log, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(logs));
        Assert.Equal(0, (await _daemon.PmctlAsync("status")).ExitCode);
    }
}
