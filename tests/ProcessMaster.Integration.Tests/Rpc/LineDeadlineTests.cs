using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>
/// After its handshake, a client that drips a request one byte every few seconds is cut 30 s after the line's first
/// byte — each byte arrives well within any per-read timeout, so only a per-line deadline ends it (N-05).
/// </summary>
public sealed class LineDeadlineTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => new(_daemon.StartAsync());

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task DripAfterHandshake_IsCutAtTheLineDeadline()
    {
        await using DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
        using var stop = new CancellationTokenSource();
        int sent = 0;
        Task drip = SlowClient.DripAsync(client, () => Interlocked.Increment(ref sent), TimeSpan.FromSeconds(3), stop.Token);
        string? reply = await client.ReadLineAsync(TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await drip;
        Assert.NotNull(reply);
        JsonElement error = JsonDocument.Parse(reply).RootElement.GetProperty("error");
        Assert.Equal(-32600, error.GetProperty("code").GetInt32());
        Assert.Equal("invalid request: the request line was not complete within 30 s of its first byte; closing the connection", error.GetProperty("message").GetString());
        Assert.True(Volatile.Read(ref sent) >= 5, $"only {sent} bytes were dripped");
        Assert.Null(await client.ReadLineAsync(TimeSpan.FromSeconds(10)));
    }
}
