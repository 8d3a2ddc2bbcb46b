using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Logs;

/// <summary>
/// Root's log capture never writes through a link the service planted (audit #3): the service user owns its working
/// directory and makes <c>logs</c> (or <c>logs/stdout.log</c>) a symlink into a root-only directory. The daemon
/// refuses to open it, says why, discards that output rather than blocking the service, and writes nothing there.
/// </summary>
public sealed class CaptureSymlinkTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task LogsDirectoryOrFilePlantedAsSymlinks_CaptureRefusesThem_NothingWrittenThere_ServiceRuns()
    {
        string canary = Directory.CreateDirectory(Path.Combine(_daemon.Root, "cron.d")).FullName;
        HostFiles.Chmod(canary, "0700");
        string dirLink = _daemon.WorkDir("dirlink");
        string fileLink = _daemon.WorkDir("filelink");
        foreach (string work in new[] { dirLink, fileLink }) HostFiles.Chown(work, HostFiles.Nobody, HostFiles.Nobody);
        CommandResult plant = await CommandRun.RunAsync("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c",
            $"ln -s {canary} {dirLink}/logs && mkdir {fileLink}/logs && ln -s {canary}/x {fileLink}/logs/stdout.log"]);
        Assert.True(plant.ExitCode == 0, plant.ToString());
        foreach ((string app, string work) in new[] { ("dirlink", dirLink), ("filelink", fileLink) })
        {
            _daemon.WriteService(app, $$"""
                process:
                  working_directory: {{work}}
                  user: nobody
                  start_command: ["/bin/sh", "-c", "echo '* * * * * root touch /tmp/PWNED'; echo written > ./ran.txt; exec sleep 100000"]
                """);
        }

        await _daemon.StartAsync();

        await _daemon.WaitForLogAsync($"{dirLink}/logs: is a symlink; refusing to follow it", TimeSpan.FromSeconds(30));
        await _daemon.WaitForLogAsync($"{fileLink}/logs/stdout.log: is a symlink; refusing to follow it", TimeSpan.FromSeconds(30));
        foreach ((string app, string work) in new[] { ("dirlink", dirLink), ("filelink", fileLink) })
        {
            await DaemonInstance.WaitUntilAsync(() => File.Exists(Path.Combine(work, "ran.txt")), TimeSpan.FromSeconds(30), $"{app} past its first output line");
            Assert.Equal("RUNNING", (await ServiceStatus.ReadAsync(_daemon, app)).Phase);
        }
        Assert.Empty(Directory.GetFileSystemEntries(canary));
    }
}
