using System.Runtime.Versioning;
using ProcessMaster.Cli;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol.Framing;
using ProcessMaster.Rpc.Tests.Support;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Cli;

/// <summary>pmctl against sockets it must not trust or wait for forever (N-08).</summary>
[SupportedOSPlatform("linux")]
public class PmctlTrustTests
{
    [Fact]
    public void Trust_RootOwnUidAndTheNamedDaemonUid_AnyoneElseRefusedWithTheFix()
    {
        var trust = new PeerTrust(OwnUid: 1000, DaemonUid: 998);
        trust.Check("/run/pm.sock", new PeerCredentials(1, 0, 0));
        trust.Check("/run/pm.sock", new PeerCredentials(2, 1000, 1000));
        trust.Check("/run/pm.sock", new PeerCredentials(3, 998, 998));
        CliException e = Assert.Throws<CliException>(() => trust.Check("/tmp/pm.sock", new PeerCredentials(4242, 65534, 65534)));
        Assert.Equal("processmaster socket /tmp/pm.sock is served by uid 65534 (pid 4242), not by root or uid 1000 (you) or uid 998 (--daemon-uid); " +
                     "refusing to talk to it: another user may have taken the socket path; " +
                     "if the daemon really runs as uid 65534, pass --daemon-uid 65534 (or set PMCTL_DAEMON_UID=65534)", e.Message);
        Assert.Throws<CliException>(() => trust.Check("/tmp/pm.sock", null));
    }

    [Fact]
    public async Task ServerThatNeverAnswers_HandshakeTimesOut_Exit1ClearMessage()
    {
        await using var rogue = new RogueServer(RogueServer.Behaviour.NeverAnswers);
        CommandResult run = await PmctlHarness.RunWithAsync(["--sock", rogue.SocketPath, "--timeout", "0.5", "status"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"Error: processmaster socket {rogue.SocketPath}: no answer to the handshake within 0.5 s; the daemon is hung, or this is not a processmaster socket; " +
                     "check unix_socket.path and the daemon's log\n", run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task ServerThatStopsAnswering_CallTimesOut_Exit1ClearMessage()
    {
        await using var rogue = new RogueServer(RogueServer.Behaviour.AnswersOnlyTheHandshake);
        CommandResult status = await PmctlHarness.RunWithAsync(["--sock", rogue.SocketPath, "status"], new Dictionary<string, string> { ["PMCTL_TIMEOUT"] = "0.5" });
        Assert.Equal(1, status.ExitCode);
        Assert.Equal($"Error: status: no reply from the daemon within 0.5 s (socket {rogue.SocketPath}); the daemon may be overloaded or hung; `--timeout SECONDS` waits longer\n", status.Stderr);
        CommandResult stop = await PmctlHarness.RunWithAsync(["--sock", rogue.SocketPath, "--timeout", "0.5", "stop", "web"]);
        Assert.Equal(1, stop.ExitCode);
        Assert.Contains("the daemon may still be carrying it out: check with `pmctl status`", stop.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndlessReplyLine_IsRefusedAtTheCap()
    {
        await using var rogue = new RogueServer(RogueServer.Behaviour.EndlessLine);
        CommandResult run = await PmctlHarness.RunWithAsync(["--sock", rogue.SocketPath, "--timeout", "300", "status"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"Error: the reply from {rogue.SocketPath} exceeds 64 MiB; refused (a processmaster reply is never that large, except `pmctl logs` with a huge -n: ask for fewer lines)\n", run.Stderr);
    }

    [Theory]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "100000")]
    public async Task BadTimeout_Exit1NamesTheOption(string option, string value)
    {
        await using var h = new PmctlHarness();
        CommandResult run = await h.RunAsync(option, value, "status");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Error: --timeout: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadDaemonUidInEnvironment_Exit1NamesTheVariable()
    {
        await using var h = new PmctlHarness();
        CommandResult run = await PmctlHarness.RunWithAsync(["--sock", h.SocketPath, "status"], new Dictionary<string, string> { ["PMCTL_DAEMON_UID"] = "daemon" });
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Error: PMCTL_DAEMON_UID: \"daemon\" is not a uid; give the daemon's numeric user id, e.g. 998\n", run.Stderr);
    }
}
