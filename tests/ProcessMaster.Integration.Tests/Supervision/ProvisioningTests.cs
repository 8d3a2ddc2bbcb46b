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
}
