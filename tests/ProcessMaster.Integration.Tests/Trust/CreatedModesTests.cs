using ProcessMaster.Testing;
using static ProcessMaster.Testing.HostFiles;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>
/// Every directory and file the daemon creates gets the mode it means (audit X2: <c>0755</c> written as a C#
/// literal is decimal 755 = octal 01363), whatever the umask: the daemon runs here under umask 077, which would
/// narrow any mode left to mkdir/open.
/// </summary>
public sealed class CreatedModesTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create(extraGlobal: "auto_service_directory: ./auto", socketDirectory: "run");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task DaemonUnderUmask077_EveryCreatedPath_HasItsIntendedMode()
    {
        string work = _daemon.WorkDir("web");
        _daemon.WriteService("web", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "echo out; echo err >&2; exec sleep 100000"]
            provisioning:
              - path: ./data
                mode: "0750"
            """);
        string generated = Path.Combine(_daemon.Root, "auto", "gen");
        Directory.CreateDirectory(generated);
        await File.WriteAllTextAsync(Path.Combine(generated, "run.sh"), "#!/bin/sh\nexec sleep 100000\n", TestContext.Current.CancellationToken);
        Chmod(Path.Combine(generated, "run.sh"), "0755");

        await _daemon.StartAsync(launcher: ["/bin/sh", "-c", "umask 077 && exec \"$@\"", "umask"]);
        await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "web RUNNING");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(_daemon.StatePath) && File.Exists(Path.Combine(work, "logs", "stderr.log")),
            TimeSpan.FromSeconds(20), "the state file and the captured stderr");

        string state = Path.GetDirectoryName(_daemon.StatePath)!;
        string pipes = Path.Combine(state, "pipes");
        var expected = new List<(string Path, string Mode)>
        {
            (_daemon.MasterCgroup, "0755"),
            (Path.Combine(_daemon.MasterCgroup, "run"), "0755"),
            (_daemon.AppCgroup("web"), "0755"),
            (Path.Combine(_daemon.AppCgroup("web"), "run"), "0755"),
            (Path.GetDirectoryName(_daemon.SocketPath)!, "0700"),
            (_daemon.SocketPath, "0600"),
            (state, "0700"),
            (_daemon.StatePath, "0600"),
            (pipes, "0700"),
            (Path.Combine(state, "exits"), "0700"),
            (Path.Combine(_daemon.Root, "logs"), "0750"),
            (Path.Combine(_daemon.Root, "logs", "processmaster.log"), "0640"),
            (Path.Combine(work, "logs"), "0755"),
            (Path.Combine(work, "logs", "stdout.log"), "0640"),
            (Path.Combine(work, "logs", "stderr.log"), "0640"),
            (Path.Combine(work, "data"), "0750"),
            (Path.Combine(work, ".pm_provisioned"), "0644"),
            (Path.Combine(generated, "service.yml"), "0644"),
        };
        expected.AddRange(Directory.GetFileSystemEntries(pipes).Select(fifo => (fifo, "0600")));
        Assert.True(Directory.GetFileSystemEntries(pipes).Length >= 2, "the log FIFOs of web");

        List<string> wrong = [.. expected.Select(e => (Facts: Stat(e.Path), e.Mode)).Where(e => e.Facts.Mode != e.Mode).Select(e => $"{e.Facts} (expected {e.Mode})")];
        Assert.True(wrong.Count == 0, "wrong modes:\n" + string.Join('\n', wrong));
    }
}
