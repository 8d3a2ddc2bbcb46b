using System.Text.RegularExpressions;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>
/// One local user cannot starve the daemon's socket (N-05): connections are capped per user with slots kept for root,
/// and request buffers share one memory budget. The attacker is a real process of uid 65534 (nobody).
/// </summary>
public sealed partial class SocketStarvationTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create(socketMode: "0666");

    public async ValueTask InitializeAsync()
    {
        // nobody must reach the socket: its directory is root's, 0755.
        File.SetUnixFileMode(_daemon.Root, (UnixFileMode)0b111_101_101);
        _daemon.WriteService("web", $$"""
            process:
              working_directory: {{_daemon.WorkDir("web")}}
              start_command: ["/bin/sleep", "100000"]
            """);
        await _daemon.StartAsync();
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task FiveHundredConnectionsOfNobody_CappedPerUser_RootsPmctlStillAnswers()
    {
        await using NobodyPeer attacker = NobodyPeer.HoldConnections(_daemon.SocketPath, 500);
        string report = await attacker.ReadLineAsync(TimeSpan.FromSeconds(120));
        Match m = Report().Match(report);
        Assert.True(m.Success, report);
        Assert.Equal(64, int.Parse(m.Groups["held"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(436, int.Parse(m.Groups["refused"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("too many connections from uid 65534 (limit 64 per user); close some", m.Groups["first"].Value, StringComparison.Ordinal);

        // The 64 are still held (handshaken, idle): root gets in.
        CommandResult status = await _daemon.PmctlAsync("status", "web");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("web", status.Stdout, StringComparison.Ordinal);
        await _daemon.WaitForLogAsync($"[rpc] rpc: refused a client (uid=65534 pid={attacker.Pid}): too many connections from uid 65534 (limit 64 per user)", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task UnfinishedMegabyteLinesOnManyConnections_StopAtTheSharedBudget_RootsPmctlStillAnswers()
    {
        await using NobodyPeer attacker = NobodyPeer.HoldConnections(_daemon.SocketPath, 60, pad: 1_000_000);
        string report = await attacker.ReadLineAsync(TimeSpan.FromSeconds(120));
        Assert.StartsWith("held 60 refused 0", report, StringComparison.Ordinal);
        // 60 × 1 MB would be 60 MB; the budget (32 MiB) ends it well before.
        await _daemon.WaitForLogAsync("request refused: the shared request buffer (33554432 bytes) is full; connection closed", TimeSpan.FromSeconds(30));
        CommandResult status = await _daemon.PmctlAsync("status", "web");
        Assert.True(status.ExitCode == 0, status.ToString());
        CommandResult flag = await _daemon.PmctlAsync("flag", "web", "still-works");
        Assert.True(flag.ExitCode == 0, flag.ToString());
    }

    [GeneratedRegex(@"^held (?<held>\d+) refused (?<refused>\d+) first: (?<first>.*)$")]
    private static partial Regex Report();
}
