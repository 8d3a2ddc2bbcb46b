using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>
/// No cgroup key is silently ignored: <c>resources.max_pids</c> is written to pids.max (and reported NOT applied
/// when the pids controller is missing, as on this build machine), <c>cgroup.subtree_control_allow: false</c> makes
/// the daemon enable no controller.
/// </summary>
public sealed class CgroupKeysTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create(extraCgroup: "subtree_control_allow: false");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task MaxPids_WrittenOrReportedNotApplied_MaxIsNeverReported()
    {
        string work = _daemon.WorkDir("limited");
        _daemon.WriteService("limited", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "exec sleep 100000"]
            resources:
              max_pids: 10
            """);
        _daemon.WriteService("unlimited", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "exec sleep 100000"]
            resources:
              max_pids: MAX
            """);
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "limited", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "limited RUNNING");
        await ServiceStatus.WaitAsync(_daemon, "unlimited", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "unlimited RUNNING");

        string pidsMax = Path.Combine(_daemon.AppCgroup("limited"), "pids.max");
        if (File.Exists(pidsMax))
            Assert.Equal("10", (await File.ReadAllTextAsync(pidsMax, TestContext.Current.CancellationToken)).Trim());
        else
            Assert.Contains($"app=limited pids limit 10 NOT applied: {pidsMax} missing (pids controller off); add +pids to the parent's cgroup.subtree_control", _daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("app=unlimited pids limit", _daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubtreeControlAllowFalse_DaemonEnablesNoController_AndSaysSo()
    {
        await _daemon.StartAsync();

        Assert.Contains("controllers for services: none enabled by the daemon (cgroup.subtree_control_allow: false)", _daemon.Log, StringComparison.Ordinal);
        Assert.Equal("", (await File.ReadAllTextAsync(Path.Combine(_daemon.MasterCgroup, "cgroup.subtree_control"), TestContext.Current.CancellationToken)).Trim());
    }
}
