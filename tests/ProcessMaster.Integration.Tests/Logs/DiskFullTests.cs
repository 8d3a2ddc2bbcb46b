using System.Globalization;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Logs;

/// <summary>
/// Log capture on a full file system, through the real daemon (audit §C "Disk full", N-21): the capture pauses and
/// says so, the service blocks on its full pipe and is neither killed nor restarted, the daemon keeps answering, and
/// once space returns the capture resumes with every line once, in order.
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private const int Lines = 400_000; // 2.7 MB: more than the 1 MiB pipe, less than the file system once freed
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly DaemonInstance _daemon = DaemonInstance.Create();
    private string _logs = "";
    private bool _mounted;

    public async ValueTask InitializeAsync()
    {
        _logs = Path.Combine(_daemon.WorkDir("full"), "logs");
        Directory.CreateDirectory(_logs);
        CommandResult mount = await CommandRun.RunAsync("/bin/mount", ["-t", "tmpfs", "-o", "size=4m,mode=0755", "pm-disk-full", _logs]);
        Assert.True(mount.ExitCode == 0, mount.ToString());
        _mounted = true;
    }

    public async ValueTask DisposeAsync()
    {
        // Lazily: the daemon may still hold the log files open; the file system goes when they are closed.
        if (_mounted) await CommandRun.RunAsync("/bin/umount", ["-l", _logs]);
        await _daemon.DisposeAsync();
    }

    [Fact]
    public async Task FullFileSystem_CapturePauses_ServiceBlocksAndKeepsRunning_ResumesWithoutLoss()
    {
        string filler = Path.Combine(_logs, "filler");
        Action fill = () =>
        {
            using var file = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 0);
            var block = new byte[64 * 1024];
            while (true) file.Write(block);
        };
        Assert.Throws<IOException>(fill);
        _daemon.WriteService("full", $$"""
            process:
              working_directory: {{Path.GetDirectoryName(_logs)}}
              start_command: ["/bin/sh", "-c", "seq 1 {{Lines}}; exec sleep 100000"]
            """);
        await _daemon.StartAsync();

        string paused = await _daemon.WaitForLogAsync("No space left on device", Wait);
        Assert.Contains("nothing is discarded", paused, StringComparison.Ordinal);
        ServiceStatus blocked = await ServiceStatus.WaitAsync(_daemon, "full", s => s.Pids.Any(WritesToAFullPipe), Wait, "the service blocked writing to its full pipe");
        Assert.Equal("RUNNING", blocked.Phase);
        Assert.Equal(0, blocked.Restarts10m);
        CommandResult status = await _daemon.PmctlAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());

        File.Delete(filler);

        string log = Path.Combine(_logs, "stdout.log");
        long expected = SeqBytes(Lines);
        await DaemonInstance.WaitForProgressAsync(() => File.Exists(log) ? new FileInfo(log).Length : 0, expected, Wait, "every line of the service in stdout.log");
        string resumed = await _daemon.WaitForLogAsync("resumed after", Wait);
        Assert.Contains("nothing was lost", resumed, StringComparison.Ordinal);
        string[] lines = await File.ReadAllLinesAsync(log, TestContext.Current.CancellationToken);
        Assert.Equal(Lines, lines.Length);
        for (int i = 0; i < lines.Length; i++)
            Assert.True(lines[i] == (i + 1).ToString(CultureInfo.InvariantCulture), $"line {i + 1} is \"{lines[i]}\"");
        ServiceStatus after = await ServiceStatus.ReadAsync(_daemon, "full");
        Assert.Equal("RUNNING", after.Phase);
        Assert.Contains(after.Pids[0], blocked.Pids); // the same main process throughout
        Assert.Equal(0, after.Restarts10m);
    }

    /// <summary>True when <paramref name="pid"/> sleeps in the kernel's pipe write (its pipe is full).</summary>
    private static bool WritesToAFullPipe(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/wchan").Contains("pipe_write", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Bytes of <c>seq 1 N</c>.</summary>
    private static long SeqBytes(int n)
    {
        long bytes = 0;
        for (int i = 1; i <= n; i++) bytes += i.ToString(CultureInfo.InvariantCulture).Length + 1;
        return bytes;
    }
}
