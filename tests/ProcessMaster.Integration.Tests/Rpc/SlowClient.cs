using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>A slow-loris client: one byte of a request that never ends, every <c>interval</c>, until stopped or cut.</summary>
internal static class SlowClient
{
    public static Task DripAsync(DaemonSocket client, Action sent, TimeSpan interval, CancellationToken stop) => Task.Run(async () =>
    {
        try
        {
            await client.SendRawAsync("{"u8.ToArray());
            sent();
            while (true)
            {
                await Task.Delay(interval, stop);
                await client.SendRawAsync("x"u8.ToArray());
                sent();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped by the test, or cut by the daemon.
        }
    }, CancellationToken.None);
}
