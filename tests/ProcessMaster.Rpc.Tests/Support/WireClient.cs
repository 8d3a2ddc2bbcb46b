using System.Text;
using System.Text.Json;
using ProcessMaster.Protocol;

namespace ProcessMaster.Rpc.Tests.Support;

/// <summary>The client end of a connection in tests: send raw lines, read replies as JSON, with timeouts that say what was awaited.</summary>
internal sealed class WireClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Stream _stream;
    private readonly StreamReader _reader;

    public WireClient(Stream stream)
    {
        _stream = stream;
        _reader = new StreamReader(stream, new UTF8Encoding(false), false, 4096, leaveOpen: true);
    }

    public static string HandshakeLine(string host, string time, int id = 0) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"handshake\",\"params\":{{\"build_host\":{JsonSerializer.Serialize(host, ProtocolJsonContext.Default.String)},\"build_time\":{JsonSerializer.Serialize(time, ProtocolJsonContext.Default.String)},\"client\":\"test\"}}}}";

    public async Task SendAsync(string line) => await SendRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task SendRawAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
        await _stream.FlushAsync(cts.Token);
    }

    /// <summary>The next line as JSON; fails when none arrives in time or the server closed.</summary>
    public async Task<JsonElement> ReadAsync(string awaiting = "a reply")
    {
        string? line = await ReadLineAsync(awaiting);
        Assert.True(line is not null, $"the server closed the connection while the test awaited {awaiting}");
        return JsonDocument.Parse(line!).RootElement.Clone();
    }

    public async Task<string?> ReadLineAsync(string awaiting = "a line")
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await _reader.ReadLineAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no line within {Timeout.TotalSeconds} s while awaiting {awaiting}");
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async Task<JsonElement> CallAsync(string line)
    {
        await SendAsync(line);
        return await ReadAsync($"the reply to {line[..Math.Min(line.Length, 80)]}");
    }

    public async Task HandshakeAsync()
    {
        JsonElement reply = await CallAsync(HandshakeLine(BuildInfo.Host, BuildInfo.Time));
        Assert.True(reply.TryGetProperty("result", out _), reply.ToString());
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return _stream.DisposeAsync();
    }
}
