using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Logs;

/// <summary>
/// Log capture never loses a byte across daemon restarts (SPEC §3.2): the service writes into a FIFO it holds
/// open itself, so it keeps running and writing while no daemon runs, and the next daemon resumes capture.
/// </summary>
public sealed class CaptureAcrossRestartsTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private string _log = "";

    public ValueTask InitializeAsync()
    {
        string work = _daemon.WorkDir("counter");
        _log = Path.Combine(work, "logs", "stdout.log");
        // Numbered lines until 6000, a short pause every 20 lines: it keeps writing while the daemon is down.
        _daemon.WriteService("counter", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "i=0; while [ $i -lt 6000 ]; do i=$((i+1)); echo $i; [ $((i % 20)) -eq 0 ] && sleep 0.02; done; exec sleep 100000"]
            """);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Theory]
    [InlineData(PosixSignalName.Kill, false)]
    [InlineData(PosixSignalName.Term, false)]
    [InlineData(PosixSignalName.Term, true)]
    public async Task DaemonRestart_WhileServiceWrites_LogHoldsEveryLineOnceInOrder(PosixSignalName signal, bool newBinary)
    {
        string? aot = Environment.GetEnvironmentVariable("PROCESSMASTER_AOT_DIR");
        if (newBinary && string.IsNullOrEmpty(aot))
            Assert.Skip("PROCESSMASTER_AOT_DIR is not set: build/test.sh publishes the NativeAOT daemon used as the new binary");

        await _daemon.StartAsync();
        await DaemonInstance.WaitUntilAsync(() => LineCount() > 200, TimeSpan.FromSeconds(30), "the first 200 lines");
        await _daemon.StopAsync(signal);
        await Task.Delay(2000, TestContext.Current.CancellationToken);
        await _daemon.StartAsync(newBinary ? Path.Combine(aot!, "processmaster") : null);

        await DaemonInstance.WaitForProgressAsync(LineCount, 6000, TimeSpan.FromSeconds(60), "line 6000 in the log");
        string[] lines = File.ReadAllLines(_log);
        Assert.Equal(6000, lines.Length);
        for (int i = 0; i < lines.Length; i++)
            Assert.True(lines[i] == (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), $"line {i + 1} is \"{lines[i]}\"");
    }

    /// <summary>Complete lines in the log (a line still being written is not counted).</summary>
    private long LineCount() => File.Exists(_log) ? File.ReadAllBytes(_log).Count(b => b == (byte)'\n') : 0;
}
