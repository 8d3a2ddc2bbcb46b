using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>A client that drips bytes and never completes its handshake is cut 10 s after it connected (N-05).</summary>
public sealed class HandshakeDeadlineTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => new(_daemon.StartAsync());

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task DripBeforeHandshake_IsCutAtTheHandshakeDeadline()
    {
        await using DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath, handshake: false);
        using var stop = new CancellationTokenSource();
        int sent = 0;
        Task drip = SlowClient.DripAsync(client, () => Interlocked.Increment(ref sent), TimeSpan.FromSeconds(2), stop.Token);
        string? reply = await client.ReadLineAsync(TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await drip;
        Assert.NotNull(reply);
        JsonElement error = JsonDocument.Parse(reply).RootElement.GetProperty("error");
        Assert.Equal(-32006, error.GetProperty("code").GetInt32());
        Assert.Equal("handshake: not completed within 10 s of connecting; closing the connection; call \"handshake\" first (docs/rpc.md)", error.GetProperty("message").GetString());
        Assert.True(Volatile.Read(ref sent) >= 3, $"only {sent} bytes were dripped");
        Assert.Null(await client.ReadLineAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, (await _daemon.PmctlAsync("status")).ExitCode);
    }
}
