using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>
/// The real pmctl against a socket that another user took (N-08): a process of uid 65534 listens on the path in a
/// world-writable directory. pmctl refuses to talk to it, and when told to trust that uid it still never waits forever.
/// </summary>
public sealed class PmctlTrustTests : IAsyncLifetime
{
    private readonly string _socket = Path.Combine(NobodyPeer.CreateSharedDirectory(), "pm.sock");
    private NobodyPeer? _impostor;

    public async ValueTask InitializeAsync()
    {
        _impostor = NobodyPeer.ListenSilently(_socket);
        Assert.Equal("listening", await _impostor.ReadLineAsync(TimeSpan.FromSeconds(30)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_impostor is not null) await _impostor.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_socket)!)!, recursive: true);
    }

    [Fact]
    public async Task ImpostorSocketOfNobody_IsRefusedWithAClearMessage()
    {
        CommandResult result = await CommandRun.RunAsync(Repository.Pmctl, ["--sock", _socket, "status"]);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.Stdout);
        Assert.Equal($"Error: processmaster socket {_socket} is served by uid 65534 (pid {_impostor!.Pid}), not by root; refusing to talk to it: " +
                     "another user may have taken the socket path; if the daemon really runs as uid 65534, pass --daemon-uid 65534 (or set PMCTL_DAEMON_UID=65534)\n",
            result.Stderr);
    }

    [Fact]
    public async Task TrustedByDaemonUid_ButNeverAnswering_HandshakeTimesOut()
    {
        CommandResult result = await CommandRun.RunAsync(Repository.Pmctl, ["--sock", _socket, "--timeout", "1", "status"],
            environment: new Dictionary<string, string?> { ["PMCTL_DAEMON_UID"] = "65534" });
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal($"Error: processmaster socket {_socket}: no answer to the handshake within 1 s; the daemon is hung, or this is not a processmaster socket; " +
                     "check unix_socket.path and the daemon's log\n", result.Stderr);
    }
}
