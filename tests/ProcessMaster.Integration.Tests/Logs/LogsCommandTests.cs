using System.Diagnostics;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Logs;

/// <summary><c>pmctl logs</c> against a real daemon: the last lines, and following new ones as they are written.</summary>
public sealed class LogsCommandTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private string _fifo = "";

    public async ValueTask InitializeAsync()
    {
        string work = _daemon.WorkDir("talker");
        _fifo = Path.Combine(work, "in.fifo");
        Process.Start("mkfifo", [_fifo])!.WaitForExit();
        // Prints every line it receives on its FIFO; the test writes the lines when it wants them.
        _daemon.WriteService("talker", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sh", "-c", "echo first; echo second; exec cat <> {{_fifo}}"]
            """);
        await _daemon.StartAsync();
        await DaemonInstance.WaitUntilAsync(() => File.Exists(Path.Combine(work, "logs", "stdout.log")) &&
            File.ReadAllText(Path.Combine(work, "logs", "stdout.log")).Contains("second", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the first lines");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task Logs_LastLines_ShowsThemUnderAHeader()
    {
        CommandResult result = await _daemon.PmctlAsync("logs", "talker", "-n", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("stdout.log", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("second", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("first", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsFollow_LineWrittenAfterItStarted_Arrives()
    {
        var info = new ProcessStartInfo(Repository.Pmctl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--sock", _daemon.SocketPath, "logs", "-f", "talker", "-n", "0" }) info.ArgumentList.Add(a);
        using Process follow = Process.Start(info)!;
        try
        {
            // Wait until the follower is attached: the first probe line shows up.
            var lines = new System.Collections.Concurrent.BlockingCollection<(string Line, long At)>();
            follow.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Add((e.Data, Stopwatch.GetTimestamp())); };
            follow.BeginOutputReadLine();
            string? seen = null;
            for (int attempt = 0; attempt < 100 && seen is null; attempt++)
            {
                await File.AppendAllTextAsync(_fifo, $"probe {attempt}\n", TestContext.Current.CancellationToken);
                if (lines.TryTake(out var probe, 200, TestContext.Current.CancellationToken)) seen = probe.Line;
            }
            Assert.NotNull(seen);
            while (lines.TryTake(out _, 300, TestContext.Current.CancellationToken)) { }

            long written = Stopwatch.GetTimestamp();
            await File.AppendAllTextAsync(_fifo, "the marker line\n", TestContext.Current.CancellationToken);
            Assert.True(lines.TryTake(out var got, 30000, TestContext.Current.CancellationToken), "the followed line never arrived");
            Assert.Contains("the marker line", got.Line, StringComparison.Ordinal);
            TimeSpan latency = Stopwatch.GetElapsedTime(written, got.At);
            // Latency is a benchmark figure (bench/), not a test bound: a loaded CI machine must not fail this test.
            TestContext.Current.SendDiagnosticMessage($"followed line arrived after {latency.TotalMilliseconds:0.0} ms");
        }
        finally
        {
            follow.Kill();
            await follow.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task LogsFollow_FileNameInsteadOfAService_FollowsThatFileOfEveryService()
    {
        var info = new ProcessStartInfo(Repository.Pmctl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--sock", _daemon.SocketPath, "logs", "-f", "stdout.log", "-n", "1" }) info.ArgumentList.Add(a);
        using Process follow = Process.Start(info)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? header = await follow.StandardOutput.ReadLineAsync(cts.Token);
            Assert.Equal($"==> {Path.Combine(_daemon.WorkDir("talker"), "logs", "stdout.log")} <==", header);
            Assert.Equal("second", await follow.StandardOutput.ReadLineAsync(cts.Token));
            Assert.False(follow.HasExited, "pmctl logs -f FILE must keep following");
        }
        finally
        {
            follow.Kill();
            await follow.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task LogsFollow_NeitherServiceNorFile_Exit1SaysSo()
    {
        CommandResult result = await _daemon.PmctlAsync("logs", "-f", "nosuch.log");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("Error: \"nosuch.log\" is neither a service nor the name of a log file the services write (no log files found matching filename nosuch.log); " +
                          "`pmctl status` lists the services", result.Stderr, StringComparison.Ordinal);
    }
}
