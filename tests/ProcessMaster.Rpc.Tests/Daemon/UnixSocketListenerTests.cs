using System.Net.Sockets;
using System.Runtime.Versioning;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Rpc.Tests.Support;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Daemon;

[SupportedOSPlatform("linux")]
public class UnixSocketListenerTests
{
    private const UnixFileMode Dir0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task Bind_AppliesModeAndIsConnectable()
    {
        using var dir = new TempDirectory();
        string path = dir.File("pm.sock");
        UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
        await using UnixSocketListener listener = UnixSocketListener.Bind(new UnixSocketOptions(path, mode));
        Assert.Equal(mode, File.GetUnixFileMode(path));
        Assert.True(UnixSocketListener.IsAccepting(path));
        Assert.Empty(Directory.GetDirectories(dir.Path));
    }

    [Fact]
    public async Task Bind_CreatesMissingParentAs0700()
    {
        using var dir = new TempDirectory();
        string parent = dir.File("run/pm");
        await using UnixSocketListener listener = UnixSocketListener.Bind(new UnixSocketOptions(Path.Combine(parent, "pm.sock")));
        Assert.Equal(Dir0700, File.GetUnixFileMode(parent));
    }

    [Fact]
    public async Task Dispose_RemovesSocketFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("pm.sock");
        UnixSocketListener listener = UnixSocketListener.Bind(new UnixSocketOptions(path));
        Assert.True(File.Exists(path));
        await listener.DisposeAsync();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Bind_StaleSocket_IsReplaced()
    {
        using var dir = new TempDirectory();
        string path = dir.File("pm.sock");
        // A bound socket that does not listen: its file is there and connecting is refused, as after a crashed daemon.
        var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        dead.Bind(new UnixDomainSocketEndPoint(path));
        Assert.True(File.Exists(path));
        Assert.False(UnixSocketListener.IsAccepting(path));
        UnixSocketListener listener = UnixSocketListener.Bind(new UnixSocketOptions(path));
        Assert.True(UnixSocketListener.IsAccepting(path));
        await listener.DisposeAsync();
        dead.Dispose();
    }

    [Fact]
    public async Task Bind_LiveDaemon_IsRefusedWithClearMessage()
    {
        using var dir = new TempDirectory();
        string path = dir.File("pm.sock");
        await using UnixSocketListener first = UnixSocketListener.Bind(new UnixSocketOptions(path));
        SocketSetupException e = Assert.Throws<SocketSetupException>(() => UnixSocketListener.Bind(new UnixSocketOptions(path)));
        Assert.Contains($"a processmaster daemon is already running (pid {Environment.ProcessId}, uid 0, accepting connections on the socket)", e.Message, StringComparison.Ordinal);
        Assert.Contains("another unix_socket.path", e.Message, StringComparison.Ordinal);
        Assert.True(UnixSocketListener.IsAccepting(path));
    }

    [Fact]
    public void Bind_DirectoryInTheWay_Refused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("pm.sock");
        Directory.CreateDirectory(path);
        SocketSetupException e = Assert.Throws<SocketSetupException>(() => UnixSocketListener.Bind(new UnixSocketOptions(path)));
        Assert.Contains("a directory is in the way", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_PathTooLong_NamesTheLimit()
    {
        string path = "/tmp/" + new string('x', 120) + "/pm.sock";
        SocketSetupException e = Assert.Throws<SocketSetupException>(() => UnixSocketListener.Bind(new UnixSocketOptions(path)));
        Assert.Contains("the limit is 107", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_OwnerAndGroup_AppliedThroughOwnership()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test needs root (the build machine and CI run as root)");
        using var dir = new TempDirectory();
        var ownership = new RecordingOwnership();
        await using UnixSocketListener listener = UnixSocketListener.Bind(new UnixSocketOptions(dir.File("pm.sock"), Owner: "root", Group: "root"), ownership);
        Assert.Equal(("root", "root"), ownership.Applied);
    }

    [Fact]
    public void Bind_UnknownOwner_ChownRefusalNamesTheKey()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test needs root (the build machine and CI run as root)");
        using var dir = new TempDirectory();
        SocketSetupException e = Assert.Throws<SocketSetupException>(() =>
            UnixSocketListener.Bind(new UnixSocketOptions(dir.File("pm.sock"), Owner: "no-such-user-pm", Group: null)));
        Assert.Contains("unknown unix_socket.owner user \"no-such-user-pm\"", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("pm.sock")));
    }

    [Fact]
    public async Task Accept_ReportsPeerCredentials()
    {
        using var dir = new TempDirectory();
        string path = dir.File("pm.sock");
        await using UnixSocketListener listener = UnixSocketListener.Bind(new UnixSocketOptions(path));
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path), TestContext.Current.CancellationToken);
        AcceptedConnection? accepted = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(accepted);
        using Socket server = accepted.Socket;
        Assert.Equal(Environment.ProcessId, accepted.Caller.Pid);
        Assert.Equal("unix", accepted.Caller.Transport);
    }

    private sealed class RecordingOwnership : ISocketOwnership
    {
        public (string?, string?) Applied { get; private set; }
        public void Apply(string path, string? owner, string? group) => Applied = (owner, group);
    }
}
