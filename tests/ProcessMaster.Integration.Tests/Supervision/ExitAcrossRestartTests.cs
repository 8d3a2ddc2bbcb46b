using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Supervision;

/// <summary>
/// A main process that ends while no daemon runs keeps its exit status (issue 14, item 7): its exit keeper records it
/// in the state directory's <c>exits/</c>, and the next daemon reports the real result instead of "Vanished". Also a
/// run that ends after the restart, while the next daemon watches the old keeper.
/// </summary>
public sealed class ExitAcrossRestartTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Theory]
    [InlineData(PosixSignalName.Term)]
    [InlineData(PosixSignalName.Kill)]
    public async Task MainExitsWhileDaemonIsDown_NextDaemonShowsTheRealExitStatus(PosixSignalName signal)
    {
        // Jobs (a schedule that never fires during the test, started by hand) and a service; each ends when told to.
        WriteWaiter("jobok", "exit 0", "schedule: \"0 0 1 1 *\"");
        WriteWaiter("jobfail", "exit 3", "schedule: \"0 0 1 1 *\"");
        WriteWaiter("jobafter", "exit 4", "schedule: \"0 0 1 1 *\"");
        WriteWaiter("svcfail", "exit 3", "", "restart_policy:\n  policy: never\n");
        await _daemon.StartAsync();
        foreach (string job in new[] { "jobok", "jobfail", "jobafter" })
        {
            CommandResult start = await _daemon.PmctlAsync("start", job);
            Assert.True(start.ExitCode == 0, start.ToString());
        }
        foreach (string app in new[] { "jobok", "jobfail", "jobafter", "svcfail" })
            await ServiceStatus.WaitAsync(_daemon, app, s => s.Running, TimeSpan.FromSeconds(30), $"{app} to run");
        int keeperOfJobOk = await KeeperAsync("jobok");
        Assert.Equal("pm-keeper", File.ReadAllText($"/proc/{keeperOfJobOk}/comm").Trim());
        Assert.DoesNotContain(keeperOfJobOk, CgroupSandbox.Procs(_daemon.AppCgroup("jobok") + "/run"));
        TestContext.Current.SendDiagnosticMessage($"exit keeper {keeperOfJobOk}: VmRSS {ProcFacts.StatusField(keeperOfJobOk, "VmRSS")}");

        await _daemon.StopAsync(signal);
        foreach (string app in new[] { "jobok", "jobfail", "svcfail" }) Release(app);
        string exits = Path.Combine(Path.GetDirectoryName(_daemon.StatePath)!, "exits");
        foreach (string app in new[] { "jobok", "jobfail", "svcfail" })
        {
            await DaemonInstance.WaitUntilAsync(() => !CgroupSandbox.IsPopulated(_daemon.AppCgroup(app)) && File.Exists(Path.Combine(exits, app)),
                TimeSpan.FromSeconds(30), $"{app} to end and its exit record to be written");
        }
        // The records are the daemon's: a directory nobody else may write, files only the daemon reads.
        Assert.Equal("0700", HostFiles.Stat(exits).Mode);
        Assert.Equal("0600", HostFiles.Stat(Path.Combine(exits, "jobfail")).Mode);

        int mark = _daemon.Log.Length;
        await _daemon.StartAsync();
        RunEntryView ok = await LastRunAsync("jobok");
        Assert.Equal(("Success", 0), (ok.Result, ok.ExitCode));
        RunEntryView fail = await LastRunAsync("jobfail");
        Assert.Equal(("ExitCode", 3), (fail.Result, fail.ExitCode));
        Assert.Contains("exit_ok", (await ServiceStatus.ReadAsync(_daemon, "jobok")).SystemFlags);
        Assert.Contains("exit_err", (await ServiceStatus.ReadAsync(_daemon, "jobfail")).SystemFlags);

        ServiceStatus service = await ServiceStatus.WaitAsync(_daemon, "svcfail", s => s.Phase == "FAILED", TimeSpan.FromSeconds(30), "svcfail FAILED");
        using (JsonDocument json = JsonDocument.Parse(service.Json))
        {
            Assert.Equal(3, json.RootElement.GetProperty("last_exit_code").GetInt32());
            Assert.Contains("main process exited with code 3", json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The job still running was adopted with its keeper; it ends under the new daemon, which is not its keeper's parent.
        await _daemon.WaitForLogAsync("app=jobafter main process", TimeSpan.FromSeconds(30), mark);
        Assert.True((await ServiceStatus.ReadAsync(_daemon, "jobafter")).Running);
        Release("jobafter");
        RunEntryView after = await LastRunAsync("jobafter");
        Assert.Equal(("ExitCode", 4), (after.Result, after.ExitCode));
        Assert.DoesNotContain("Vanished", _daemon.Log[mark..], StringComparison.Ordinal);
        Assert.DoesNotContain("status is unknown", _daemon.Log[mark..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeeperKilledWhileDaemonIsDown_StatusIsReportedUnknown()
    {
        WriteWaiter("lost", "exit 0", "schedule: \"0 0 1 1 *\"");
        await _daemon.StartAsync();
        Assert.Equal(0, (await _daemon.PmctlAsync("start", "lost")).ExitCode);
        await ServiceStatus.WaitAsync(_daemon, "lost", s => s.Running, TimeSpan.FromSeconds(30), "lost to run");
        int keeper = await KeeperAsync("lost");
        await _daemon.StopAsync(PosixSignalName.Kill);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", keeper.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        Release("lost");
        await DaemonInstance.WaitUntilAsync(() => !CgroupSandbox.IsPopulated(_daemon.AppCgroup("lost")), TimeSpan.FromSeconds(30), "lost to end");

        await _daemon.StartAsync();
        RunEntryView run = await LastRunAsync("lost");
        Assert.Equal("Vanished", run.Result);
        Assert.Null(run.ExitCode);
        Assert.Contains("main process status unknown", run.Detail, StringComparison.Ordinal);
    }

    private void WriteWaiter(string app, string end, string schedule, string extra = "")
    {
        _daemon.WriteService(app, $$"""
            process:
              working_directory: {{_daemon.WorkDir(app)}}
              start_command: ["/bin/sh", "-c", "while [ ! -e release ]; do sleep 0.05; done; {{end}}"]
              {{schedule}}
            {{extra}}
            """);
    }

    private void Release(string app) => File.WriteAllText(Path.Combine(_daemon.WorkDir(app), "release"), "");

    /// <summary>The parent of the app's main process (status main_pid): its exit keeper.</summary>
    private async Task<int> KeeperAsync(string app)
    {
        using JsonDocument json = JsonDocument.Parse((await ServiceStatus.ReadAsync(_daemon, app)).Json);
        int main = json.RootElement.GetProperty("main_pid").GetInt32();
        return int.Parse(ProcFacts.StatusField(main, "PPid"), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<RunEntryView> LastRunAsync(string app)
    {
        ServiceStatus status = await ServiceStatus.WaitAsync(_daemon, app, s => !s.Running && RunCount(s) > 0, TimeSpan.FromSeconds(30), $"a finished run of {app}");
        using JsonDocument json = JsonDocument.Parse(status.Json);
        JsonElement last = json.RootElement.GetProperty("runs").EnumerateArray().Last();
        return new RunEntryView(last.GetProperty("result").GetString()!,
            last.TryGetProperty("exit_code", out JsonElement code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null,
            last.TryGetProperty("detail", out JsonElement detail) ? detail.GetString() ?? "" : "");
    }

    private static int RunCount(ServiceStatus status)
    {
        using JsonDocument json = JsonDocument.Parse(status.Json);
        return json.RootElement.TryGetProperty("runs", out JsonElement runs) ? runs.GetArrayLength() : 0;
    }

    private sealed record RunEntryView(string Result, int? ExitCode, string Detail);
}
