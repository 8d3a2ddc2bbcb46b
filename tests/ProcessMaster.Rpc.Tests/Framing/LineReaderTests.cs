using System.Text;
using ProcessMaster.Protocol.Framing;
using ProcessMaster.Rpc.Tests.Support;

namespace ProcessMaster.Rpc.Tests.Framing;

public class LineReaderTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Drip_OneByteWellWithinEachRead_IsCutAtTheLineDeadlineFromItsFirstByte()
    {
        (DuplexStream server, DuplexStream client) = DuplexStream.CreatePair();
        using var reader = new LineReader(server, 1024);
        using var stop = new CancellationTokenSource();
        int sent = 0;
        Task drip = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await client.WriteAsync("x"u8.ToArray(), stop.Token);
                    Interlocked.Increment(ref sent);
                    await Task.Delay(20, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, TestContext.Current.CancellationToken);

        // Each byte arrives 20 ms after the previous one, far inside any per-read timeout; the line still ends 1 s after its first byte.
        LineReadResult result = await reader.ReadLineAsync(Long, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await drip;
        Assert.Equal(LineReadStatus.LineTimeout, result.Status);
        Assert.True(Volatile.Read(ref sent) >= 3, $"the drip sent only {sent} bytes: the test did not exercise several reads");
    }

    [Fact]
    public async Task Silence_IsIdleTimeout_AndBytesOfAStartedLineAreKeptForTheNextCall()
    {
        (DuplexStream server, DuplexStream client) = DuplexStream.CreatePair();
        using var reader = new LineReader(server, 1024);
        Assert.Equal(LineReadStatus.IdleTimeout, (await reader.ReadLineAsync(TimeSpan.FromMilliseconds(50), Long, TestContext.Current.CancellationToken)).Status);
        await client.WriteAsync("hel"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.Equal(LineReadStatus.LineTimeout, (await reader.ReadLineAsync(Long, TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken)).Status);
        await client.WriteAsync("lo\n"u8.ToArray(), TestContext.Current.CancellationToken);
        LineReadResult line = await reader.ReadLineAsync(Long, Long, TestContext.Current.CancellationToken);
        Assert.Equal(LineReadStatus.Line, line.Status);
        Assert.Equal("hello", Encoding.UTF8.GetString(line.Line.Span));
    }

    [Fact]
    public async Task OverallDeadline_EndsTheRead_EvenWhileBytesKeepComing()
    {
        (DuplexStream server, DuplexStream client) = DuplexStream.CreatePair();
        using var reader = new LineReader(server, 1024);
        await client.WriteAsync("{"u8.ToArray(), TestContext.Current.CancellationToken);
        LineReadResult result = await reader.ReadLineAsync(Long, Long, TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        Assert.Equal(LineReadStatus.DeadlineReached, result.Status);
    }

    [Fact]
    public async Task Growth_IsChargedToTheSharedBudget_RefusedWhenItIsFull_AndReturnedAfterTheLine()
    {
        var budget = new LineBudget(64 * 1024);
        (DuplexStream serverA, DuplexStream clientA) = DuplexStream.CreatePair();
        (DuplexStream serverB, DuplexStream clientB) = DuplexStream.CreatePair();
        using var a = new LineReader(serverA, 1024 * 1024, budget);
        using var b = new LineReader(serverB, 1024 * 1024, budget);

        await clientA.WriteAsync(Encoding.UTF8.GetBytes(new string('a', 40_000) + "\n"), TestContext.Current.CancellationToken);
        Assert.Equal(40_000, (await a.ReadLineAsync(Long, Long, TestContext.Current.CancellationToken)).Line.Length);
        Assert.True(budget.InUse > 0, "a line larger than the initial buffer is charged to the budget");

        await clientB.WriteAsync(Encoding.UTF8.GetBytes(new string('b', 100_000)), TestContext.Current.CancellationToken);
        Assert.Equal(LineReadStatus.OverBudget, (await b.ReadLineAsync(Long, Long, TestContext.Current.CancellationToken)).Status);

        // A's next read shrinks its buffer back and returns what it took.
        await clientA.WriteAsync("small\n"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.Equal("small", Encoding.UTF8.GetString((await a.ReadLineAsync(Long, Long, TestContext.Current.CancellationToken)).Line.Span));
        Assert.Equal(LineReader.InitialBytes, a.BufferBytes);
        b.Dispose();
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task OverTheCap_IsTooLong()
    {
        (DuplexStream server, DuplexStream client) = DuplexStream.CreatePair();
        using var reader = new LineReader(server, 10);
        await client.WriteAsync("0123456789A\nok\n"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.Equal(LineReadStatus.TooLong, (await reader.ReadLineAsync(Long, Long, TestContext.Current.CancellationToken)).Status);
        Assert.Equal("ok", Encoding.UTF8.GetString((await reader.ReadLineAsync(Long, Long, TestContext.Current.CancellationToken)).Line.Span));
    }
}
