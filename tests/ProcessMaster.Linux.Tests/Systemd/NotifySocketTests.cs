using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Systemd;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Systemd;

public sealed class NotifySocketTests
{
    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("run/notify", "\"run/notify\" is neither an absolute path nor an abstract name (@...)")]
    [InlineData("@", "\"@\" names no socket")]
    public void TryOpen_BadAddress_SaysWhy(string address, string problem)
    {
        Assert.Null(NotifySocket.TryOpen(address, out string? why));
        Assert.Equal(problem, why);
    }

    [Fact]
    public void TryOpen_TooLong_NamesTheLimit()
    {
        Assert.Null(NotifySocket.TryOpen("/" + new string('x', 200), out string? why));
        Assert.EndsWith("is longer than 107 bytes", why, StringComparison.Ordinal);
    }

    [Fact]
    public void TrySend_PathSocket_OneDatagramPerMessage()
    {
        using var temp = new TempDirectory("pm-notify-");
        string dir = temp.Path;
        string path = Path.Combine(dir, "notify.sock");
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint(path));
        using NotifySocket notify = NotifySocket.TryOpen(path, out _)!;
        Assert.True(notify.TrySend("READY=1\nSTATUS=up", out string? error), error);
        Assert.True(notify.TrySend("WATCHDOG=1", out error), error);
        Assert.Equal("READY=1\nSTATUS=up", Receive(manager));
        Assert.Equal("WATCHDOG=1", Receive(manager));
    }

    [Fact]
    public void TrySend_AbstractSocket_WrittenWithAnAt()
    {
        string name = $"pm-notify-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint("\0" + name));
        using NotifySocket notify = NotifySocket.TryOpen("@" + name, out _)!;
        Assert.True(notify.TrySend("STOPPING=1", out string? error), error);
        Assert.Equal("STOPPING=1", Receive(manager));
    }

    [Fact]
    public void TrySend_NobodyListens_ReportsTheError()
    {
        using NotifySocket notify = NotifySocket.TryOpen("/nonexistent/notify.sock", out _)!;
        Assert.False(notify.TrySend("READY=1", out string? error));
        Assert.StartsWith("/nonexistent/notify.sock: sendto failed: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_Watchdog_ParsedAndOwnedByThisPid()
    {
        Dictionary<string, string> env = new() { ["NOTIFY_SOCKET"] = "/run/systemd/notify", ["WATCHDOG_USEC"] = "30000000", ["WATCHDOG_PID"] = "42" };
        ServiceManagerEnvironment read = ServiceManagerEnvironment.Read(n => env.GetValueOrDefault(n), 42);
        Assert.Equal("/run/systemd/notify", read.NotifySocket);
        Assert.Equal(TimeSpan.FromSeconds(30), read.Watchdog);
        Assert.Null(read.WatchdogProblem);
    }

    [Theory]
    [InlineData("30000000", "7", "WATCHDOG_PID=7 is not this process (42); no watchdog keep-alive is sent")]
    [InlineData("0", null, "WATCHDOG_USEC=\"0\" is not a positive number of microseconds; no watchdog keep-alive is sent")]
    [InlineData("-5", null, "WATCHDOG_USEC=\"-5\" is not a positive number of microseconds; no watchdog keep-alive is sent")]
    public void Environment_WatchdogNotOurs_IgnoredWithTheReason(string usec, string? pid, string problem)
    {
        Dictionary<string, string> env = new() { ["WATCHDOG_USEC"] = usec };
        if (pid is not null) env["WATCHDOG_PID"] = pid;
        ServiceManagerEnvironment read = ServiceManagerEnvironment.Read(n => env.GetValueOrDefault(n), 42);
        Assert.Null(read.Watchdog);
        Assert.Equal(problem, read.WatchdogProblem);
    }

    [Fact]
    public void JournalStream_MatchesTheDeviceAndInodeStatPrints()
    {
        string file = Path.GetTempFileName();
        try
        {
            using var stat = Process.Start(new ProcessStartInfo("stat", ["-L", "-c", "%d:%i", file]) { RedirectStandardOutput = true })!;
            string expected = stat.StandardOutput.ReadToEnd().Trim();
            stat.WaitForExit();
            using ConfinedDirectory directory = ConfinedDirectory.Open(Path.GetDirectoryName(file)!);
            using SafeFdHandle fd = directory.OpenRegularFileForReading(Path.GetFileName(file));
            Assert.True(JournalStream.Matches(expected, fd), expected);
            (ulong device, ulong inode) = JournalStream.TryParse(expected)!.Value;
            Assert.False(JournalStream.Matches($"{device}:{inode + 1}", fd));
            Assert.False(JournalStream.Matches($"{device + 1}:{inode}", fd));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData(":12")]
    [InlineData("a:b")]
    [InlineData("1:2:3")]
    public void JournalStream_Malformed_NeverMatches(string? value) => Assert.Null(JournalStream.TryParse(value));

    [Theory]
    [InlineData(8u, 1u, 2049ul)]
    [InlineData(0u, 12u, 12ul)]
    [InlineData(259u, 3u, 66307ul)]
    public void EncodeDevice_IsGlibcMakedev(uint major, uint minor, ulong dev) => Assert.Equal(dev, JournalStream.EncodeDevice(major, minor));

    private static string Receive(Socket socket)
    {
        var buffer = new byte[4096];
        socket.ReceiveTimeout = 30_000;
        int n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
