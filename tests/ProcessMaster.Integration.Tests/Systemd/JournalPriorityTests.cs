using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Systemd;

/// <summary>
/// Under systemd (<c>JOURNAL_STREAM</c> names the daemon's stderr) every event line starts with the journal priority of
/// its kind: <c>&lt;3&gt;</c> a service that gave up, <c>&lt;4&gt;</c> a crash on its way to a restart,
/// <c>&lt;6&gt;</c> the normal course. Inheriting the variable with stderr elsewhere adds nothing.
/// </summary>
public sealed class JournalPriorityTests
{
    /// <summary>Sets JOURNAL_STREAM to the device:inode of the stderr the daemon gets, as systemd does, then execs it.</summary>
    private static readonly string[] AsSystemdDoes =
        ["/bin/sh", "-c", "JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2); export JOURNAL_STREAM; exec \"$0\" \"$@\""];

    [Fact]
    public async Task StderrIsTheJournal_EachLineCarriesThePriorityOfItsKind()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        Crasher(daemon);
        await daemon.StartAsync(launcher: AsSystemdDoes);
        await ServiceStatus.WaitAsync(daemon, "crasher", s => s.Phase == "FAILED", TimeSpan.FromSeconds(60), "FAILED");
        await daemon.WaitForLogAsync("-> FAILED", TimeSpan.FromSeconds(60));

        Assert.StartsWith("<6>", Line(daemon, "[daemon] running:"), StringComparison.Ordinal);
        Assert.StartsWith("<4>", Line(daemon, "-> BACKOFF"), StringComparison.Ordinal);
        Assert.StartsWith("<3>", Line(daemon, "-> FAILED"), StringComparison.Ordinal);
        // The daemon's own log file has no prefixes: it is not the journal.
        Assert.DoesNotContain("<6>", await File.ReadAllTextAsync(daemon.LogFilePath, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JournalStreamNamesAnotherFile_NoPrefixes()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        daemon.Environment["JOURNAL_STREAM"] = "1:1";
        await daemon.StartAsync();
        Assert.DoesNotContain(daemon.Log.Split('\n'), l => l.StartsWith("<6>", StringComparison.Ordinal));
        Assert.False(Line(daemon, "[daemon] running:").StartsWith('<'));
    }

    [Fact]
    public async Task AStartupProblem_IsAnErrorInTheJournal()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(extraConfig: "bogus_key: 1");
        await Assert.ThrowsAsync<TimeoutException>(() => daemon.StartAsync(launcher: AsSystemdDoes));
        Assert.StartsWith("<3>", Line(daemon, "bogus_key"), StringComparison.Ordinal);
    }

    private static void Crasher(DaemonInstance daemon) => daemon.WriteService("crasher", $$"""
        process:
          working_directory: {{daemon.WorkDir("crasher")}}
          start_command: ["/bin/sh", "-c", "sleep 0.2; exit 3"]
        restart_policy:
          policy: always
          restart_backoff_ms: 100
          tolerance:
            max_restarts: 1
            duration: 1m
        """);

    private static string Line(DaemonInstance daemon, string text) =>
        daemon.Log.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"no line with \"{text}\" in:\n{daemon.Log}");
}
