using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>Provisioning at definition load on a real daemon, seen through status and events.</summary>
public sealed class ProvisioningTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task Provisioning_AppliedOnceAtLoad_FailureKeepsTheAppOutUntilFixed()
    {
        string good = _daemon.WorkDir("good");
        _daemon.WriteService("good", $$"""
            process:
              working_directory: {{good}}
              start_command: ["/bin/sleep", "100000"]
            provisioning:
              - path: ./data
                ownership: { owner: nobody, group: nogroup }
                mode: "0750"
            """);
        string bad = _daemon.WorkDir("bad");
        _daemon.WriteService("bad", $$"""
            process:
              working_directory: {{bad}}
              start_command: ["/bin/sleep", "100000"]
            provisioning:
              - path: ./bin/server
                add_net_bind_capability: true
            """);
        await _daemon.StartAsync();

        using (JsonDocument status = JsonDocument.Parse((await _daemon.PmctlAsync("status", "good", "--format", "json")).Stdout))
        {
            JsonElement entry = status.RootElement.GetProperty("statuses")[0];
            Assert.True(entry.GetProperty("provisioning_defined").GetBoolean());
            Assert.True(entry.GetProperty("provisioning_marker_exists").GetBoolean());
            Assert.Equal(Path.Combine(good, ".pm_provisioned"), entry.GetProperty("provisioning_marker").GetString());
        }
        Assert.True(Directory.Exists(Path.Combine(good, "data")));
        Assert.Equal(1, (await _daemon.PmctlAsync("status", "bad")).ExitCode);
        Assert.Contains("does not exist (needed for setcap)", _daemon.Log, StringComparison.Ordinal);

        // Fixed on disk: the next update provisions and loads it.
        Directory.CreateDirectory(Path.Combine(bad, "bin"));
        File.Copy("/bin/sleep", Path.Combine(bad, "bin", "server"));
        Assert.Equal(0, (await _daemon.PmctlAsync("update")).ExitCode);
        await ServiceStatus.WaitAsync(_daemon, "bad", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "bad loaded and RUNNING");
        Assert.True(File.Exists(Path.Combine(bad, ".pm_provisioned")));
    }

    [Fact]
    public async Task RecursiveChown_OverAHardLinkToARootFile_LeavesTheRootFileAlone_AndSaysSo()
    {
        // Audit N-25: where fs.protected_hardlinks is 0, a service can hard-link a root file (/etc/shadow) into its
        // tree; a recursive chown of the tree must not reach it. Root plays the service here (it may link anything).
        string work = _daemon.WorkDir("linked");
        string data = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        string canary = Path.Combine(_daemon.Root, "shadow");
        await File.WriteAllTextAsync(canary, "root:secret", TestContext.Current.CancellationToken);
        HostFiles.Chmod(canary, "0600");
        string link = Path.Combine(data, "innocent");
        CommandResult ln = await CommandRun.RunAsync("/bin/ln", [canary, link]);
        Assert.True(ln.ExitCode == 0, ln.ToString());
        await File.WriteAllTextAsync(Path.Combine(data, "own"), "x", TestContext.Current.CancellationToken);
        _daemon.WriteService("linked", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sleep", "100000"]
            provisioning:
              - path: ./data
                ownership: { owner: nobody, recursive: true }
            """);

        await _daemon.StartAsync();

        Assert.Equal(new FileFacts(canary, 0, 0, "0600"), HostFiles.Stat(canary));
        Assert.Equal(HostFiles.Nobody, HostFiles.Stat(Path.Combine(data, "own")).Uid);
        Assert.Equal(HostFiles.Nobody, HostFiles.Stat(data).Uid);
        Assert.Contains($"skipped 1 file with more than one hard link ({link})", _daemon.Log, StringComparison.Ordinal);
        await ServiceStatus.WaitAsync(_daemon, "linked", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "linked RUNNING");
    }

    [Fact]
    public async Task ProvisioningThroughASymlinkTheServicePlanted_Refused_TargetUnchanged_NoMarker()
    {
        // Audit #4, #24: the service's tree holds a link to a root-only directory; provisioning runs as root.
        string work = _daemon.WorkDir("planted");
        string victim = Directory.CreateDirectory(Path.Combine(_daemon.Root, "victim")).FullName;
        HostFiles.Chmod(victim, "0700");
        File.CreateSymbolicLink(Path.Combine(work, "data"), victim);
        Directory.CreateDirectory(Path.Combine(work, "deeper"));
        File.CreateSymbolicLink(Path.Combine(work, "deeper", "link"), victim);
        _daemon.WriteService("planted", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sleep", "100000"]
            provisioning:
              - path: ./data
                ownership: { owner: nobody }
                mode: "0777"
            """);
        _daemon.WriteService("deeper", $$"""
            process:
              working_directory: {{work}}/deeper
              start_command: ["/bin/sleep", "100000"]
            provisioning:
              - path: ./link/inner
                mode: "0777"
            """);

        await _daemon.StartAsync();

        Assert.Contains($"target {work}/data is a symlink; refusing to provision through it", _daemon.Log, StringComparison.Ordinal);
        Assert.Contains($"path component {work}/deeper/link is a symlink; provisioning never follows symlinks", _daemon.Log, StringComparison.Ordinal);
        Assert.Equal(new FileFacts(victim, 0, 0, "0700"), HostFiles.Stat(victim));
        Assert.Empty(Directory.GetFileSystemEntries(victim));
        Assert.False(File.Exists(Path.Combine(work, ".pm_provisioned")));
        Assert.False(File.Exists(Path.Combine(work, "deeper", ".pm_provisioned")));
        Assert.Equal(1, (await _daemon.PmctlAsync("status", "planted")).ExitCode);
        Assert.Equal(1, (await _daemon.PmctlAsync("status", "deeper")).ExitCode);
    }
}
