using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using ProcessMaster.Protocol.Framing;

namespace ProcessMaster.Daemon.Web.Endpoints;

/// <summary>Writes one <c>text/event-stream</c> response: named events whose data is one line of compact JSON.</summary>
internal sealed class ServerSentEvents(HttpResponse response, CancellationToken cancellationToken) : IDisposable
{
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] End = "\n\n"u8.ToArray();
    private readonly SemaphoreSlim _write = new(1, 1);

    /// <summary>Sends the headers (and a retry hint) at once, so the browser knows the stream is open.</summary>
    public async Task StartAsync()
    {
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.WriteAsync("retry: 3000\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one event and flushes it.</summary>
    public async Task SendAsync<T>(string name, T value, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new PooledBufferWriter(512);
        buffer.Write(Encoding.UTF8.GetBytes("event: " + name));
        buffer.Write(DataPrefix);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }
        buffer.Write(End);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    public void Dispose() => _write.Dispose();
}
