using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Config;

/// <summary>
/// <c>pmctl update --master</c>: the keys that can change live are applied (the daemon log moves, admin actions and
/// where definitions are found change), every other changed key is named as needing a restart, and a master
/// configuration with a problem changes nothing, lists its problems and exits 1.
/// </summary>
public sealed class MasterReloadTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("steady", Sleeper("steady"));
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "steady", s => s.Running, TimeSpan.FromSeconds(30), "steady RUNNING");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    private string Sleeper(string app) => $$"""
        process:
          working_directory: {{_daemon.WorkDir(app)}}
          start_command: ["/bin/sleep", "4000007"]
        """;

    private void EditConfig(Func<string, string> edit)
    {
        string before = File.ReadAllText(_daemon.ConfigPath);
        string after = edit(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(_daemon.ConfigPath, after);
    }

    [Fact]
    public async Task UpdateMaster_AppliesLiveKeys_NamesEveryRestartOnlyKey()
    {
        string conf2 = Path.Combine(_daemon.Root, "conf2");
        Directory.CreateDirectory(conf2);
        File.SetUnixFileMode(conf2, DaemonInstance.TrustedDirectoryMode);
        string moved = Path.Combine(conf2, "moved.yaml");
        File.WriteAllText(moved, Sleeper("moved"));
        File.SetUnixFileMode(moved, DaemonInstance.TrustedFileMode);
        string newLog = Path.Combine(_daemon.Root, "logs2", "daemon.log");
        EditConfig(c => c
            .Replace("  name: pm\n", "  name: pm2\n", StringComparison.Ordinal)
            .Replace("config_directory: ./config.d", "config_directory: ./conf2", StringComparison.Ordinal)
            .Replace("log_file: ./logs/processmaster.log", "log_file: ./logs2/daemon.log", StringComparison.Ordinal)
            + "\nadmin_actions:\n  hello:\n    label: \"Say hello\"\n    command: [\"/bin/true\"]\n");

        CommandResult update = await _daemon.PmctlAsync("update", "--master");

        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Contains("updated: master configuration: 3 keys applied, 2 need a restart; definitions: 1 added (moved), 0 modified, 1 removed (steady)", update.Stdout, StringComparison.Ordinal);
        Assert.Contains("applied: global.config_directory\n", update.Stdout, StringComparison.Ordinal);
        Assert.Contains("applied: global.log_file\n", update.Stdout, StringComparison.Ordinal);
        Assert.Contains("applied: admin_actions\n", update.Stdout, StringComparison.Ordinal);
        Assert.Contains("needs a restart: cgroup.name changes only at restart (the master cgroup and every app cgroup are made at start)", update.Stdout, StringComparison.Ordinal);
        // The flag rules file defaults to <config_directory>/flag_rules.json, so it moved too, and says so.
        Assert.Contains("needs a restart: global.flag_rules_file changes only at restart", update.Stdout, StringComparison.Ordinal);

        // Live: the daemon log moved (no symlink followed, mode 0640), admin actions and definitions from the new places.
        await DaemonInstance.WaitUntilAsync(() => File.Exists(newLog) && File.ReadAllText(newLog).Contains("update --master: global.log_file applied", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), $"events in {newLog}");
        Assert.Contains("daemon log: moving from", File.ReadAllText(newLog), StringComparison.Ordinal);
        Assert.DoesNotContain("update --master: global.log_file applied", File.ReadAllText(_daemon.LogFilePath), StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0b110_100_000, File.GetUnixFileMode(newLog));
        Assert.Contains("hello", (await _daemon.PmctlAsync("admin-list")).Stdout, StringComparison.Ordinal);
        await ServiceStatus.WaitAsync(_daemon, "moved", s => s.Running, TimeSpan.FromSeconds(30), "moved RUNNING");

        // Restart-only: the cgroup tree stays where it was, and the key is named again until a restart.
        Assert.True(Directory.Exists(_daemon.AppCgroup("moved")), "the app cgroup is under the master cgroup in force (pm)");
        Assert.False(Directory.Exists(Path.Combine(_daemon.Sandbox.Path, "pm2")));
        CommandResult again = await _daemon.PmctlAsync("update", "--master");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("master configuration: 0 keys applied, 2 need a restart", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("needs a restart: cgroup.name changes only at restart", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateMaster_BrokenMasterConfig_ChangesNothing_ListsProblems_Exit1()
    {
        EditConfig(c => c
            .Replace("log_file: ./logs/processmaster.log", "log_file: ./logs2/daemon.log\n  log_fil: x", StringComparison.Ordinal)
            .Replace("config_directory: ./config.d", "config_directory: ./nowhere", StringComparison.Ordinal));
        int mark = _daemon.Log.Length;

        CommandResult update = await _daemon.PmctlAsync("update", "--master");

        Assert.True(update.ExitCode == 1, update.ToString());
        Assert.Contains("update skipped:", update.Stdout, StringComparison.Ordinal);
        Assert.Contains("the master configuration did not load, so nothing changed", update.Stderr, StringComparison.Ordinal);
        Assert.Contains("global.log_fil: unknown key \"log_fil\"", update.Stderr, StringComparison.Ordinal);
        await _daemon.WaitForLogAsync("update --master: ", TimeSpan.FromSeconds(30), mark);
        // Nothing changed: the log stays, the definitions stay, the services run on.
        await _daemon.WaitForLogFileAsync("update skipped:", TimeSpan.FromSeconds(30));
        Assert.False(Directory.Exists(Path.Combine(_daemon.Root, "logs2")));
        Assert.True((await ServiceStatus.ReadAsync(_daemon, "steady")).Running);
        CommandResult plain = await _daemon.PmctlAsync("update");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("0 removed", plain.Stdout, StringComparison.Ordinal);
    }
}
