using ProcessMaster.Testing;
using static ProcessMaster.Testing.HostFiles;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// Provisioning on a real daemon does what it says (issue 14, item 8): a capability listed before a recursive chown
/// of the same tree survives it (applied last, read back), and the walk leaves a hard-linked file alone and a file
/// system mounted inside the tree unentered, and says so.
/// </summary>
public sealed class ProvisioningOrderTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task SetcapBeforeRecursiveChown_CapabilityKept_HardLinkSkippedAndReported()
    {
        Assert.True(File.Exists("/usr/sbin/getcap") && File.Exists("/usr/sbin/setcap"), "setcap/getcap (libcap2-bin) are needed for this test");
        string work = _daemon.WorkDir("capped");
        Directory.CreateDirectory(Path.Combine(work, "bin"));
        string binary = Path.Combine(work, "bin", "server");
        File.Copy("/bin/sleep", binary);
        // A file elsewhere, hard-linked into the tree: the walk must not give it away.
        string outside = Path.Combine(_daemon.Root, "outside-secret");
        File.WriteAllText(outside, "x");
        string link = Path.Combine(work, "bin", "linked");
        Assert.Equal(0, (await CommandRun.RunAsync("/bin/ln", [outside, link])).ExitCode);
        _daemon.WriteService("capped", $$"""
            process:
              working_directory: {{work}}
              start_command: ["./bin/server", "100000"]
            provisioning:
              - path: ./bin/server
                add_net_bind_capability: true
              - path: ./bin
                ownership: { owner: nobody, group: nogroup, recursive: true }
            """);
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "capped", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "capped RUNNING");

        CommandResult getcap = await CommandRun.RunAsync("/usr/sbin/getcap", [binary]);
        Assert.Contains("cap_net_bind_service=ep", getcap.Stdout, StringComparison.Ordinal);
        Assert.Equal(65534u, Stat(binary).Uid);
        Assert.Equal(0u, Stat(outside).Uid);
        string log = _daemon.Log;
        int chown = log.IndexOf("service \"capped\": provisioned chown -R nobody", StringComparison.Ordinal);
        int setcap = log.IndexOf("service \"capped\": provisioned setcap ", StringComparison.Ordinal);
        int verified = log.IndexOf($"service \"capped\": provisioned verified security.capability of {binary}", StringComparison.Ordinal);
        Assert.True(chown >= 0 && chown < setcap && setcap < verified, log);
        Assert.Contains($"skipped 1 file with more than one hard link ({link})", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecursiveChown_MountInsideTheTree_NotEnteredAndReported()
    {
        string work = _daemon.WorkDir("mounted");
        string mount = Path.Combine(work, "data", "mnt");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, (await CommandRun.RunAsync("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "pm-test", mount])).ExitCode);
        try
        {
            string inside = Path.Combine(mount, "inside");
            File.WriteAllText(inside, "x");
            _daemon.WriteService("mounted", $$"""
                process:
                  working_directory: {{work}}
                  start_command: ["/bin/sleep", "100000"]
                provisioning:
                  - path: ./data
                    ownership: { owner: nobody, group: nogroup, recursive: true }
                """);
            await _daemon.StartAsync();
            await ServiceStatus.WaitAsync(_daemon, "mounted", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "mounted RUNNING");

            Assert.Equal(65534u, Stat(Path.Combine(work, "data")).Uid);
            Assert.Equal(0u, Stat(mount).Uid);
            Assert.Equal(0u, Stat(inside).Uid);
            Assert.Contains($"skipped 1 directory on another mount ({mount})", _daemon.Log, StringComparison.Ordinal);
        }
        finally
        {
            // Nothing of the service lives on the mount (its working directory is above it): unmount before the
            // daemon's scratch directory is removed.
            await CommandRun.RunAsync("/bin/umount", ["-l", mount]);
        }
    }
}
