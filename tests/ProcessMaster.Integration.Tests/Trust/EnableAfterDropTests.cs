using ProcessMaster.Testing;
using static ProcessMaster.Testing.HostFiles;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>
/// <c>pmctl enable/disable</c> on a daemon that dropped to <c>global.user: nobody</c>: the definitions stay root's
/// (only then are they trusted), so the daemon cannot rewrite them. It says so, why, and what to do instead, and
/// changes nothing.
/// </summary>
public sealed class EnableAfterDropTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create(extraGlobal: "user: nobody");

    public ValueTask InitializeAsync()
    {
        Chmod(_daemon.Root, "0755"); // nobody must reach its configuration, state and the services' directories
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task DisableAndEnable_RootOwnedDefinition_RefusedExplainingWhy_FileAndServiceUnchanged()
    {
        NobodyServices.WriteSleeper(_daemon, "app", NobodyServices.WorkDir(_daemon, "app"));
        string definition = Path.Combine(_daemon.ConfigDirectory, "app.yaml");
        string text = await File.ReadAllTextAsync(definition, TestContext.Current.CancellationToken);
        await _daemon.StartAsync();
        ServiceStatus before = await ServiceStatus.WaitAsync(_daemon, "app", s => s.Phase == "RUNNING" && s.Pids.Count > 0, TimeSpan.FromSeconds(30), "app RUNNING");

        foreach (string verb in new[] { "disable", "enable" })
        {
            CommandResult result = await _daemon.PmctlAsync(verb, "app");

            string output = result.Stdout + result.Stderr;
            Assert.True(result.ExitCode == 1, $"{verb}: {result}");
            Assert.Contains($"service \"app\": cannot rewrite {definition}: the daemon runs as nobody (uid 65534, gid 65534) and {_daemon.ConfigDirectory} is owned by uid 0", output, StringComparison.Ordinal);
            Assert.Contains("definitions are trusted only when nobody but root and the daemon's own user can change them", output, StringComparison.Ordinal);
            Assert.Contains($"set global.enabled in {definition} by hand and run `pmctl update`", output, StringComparison.Ordinal);
            Assert.DoesNotContain("EACCES", output, StringComparison.Ordinal);
        }

        Assert.Equal(text, await File.ReadAllTextAsync(definition, TestContext.Current.CancellationToken));
        Assert.Equal(new FileFacts(definition, 0, 0, "0644"), Stat(definition));
        ServiceStatus after = await ServiceStatus.ReadAsync(_daemon, "app");
        Assert.Equal(before.Pids, after.Pids);
        Assert.NotNull(_daemon.Pid);
    }
}
