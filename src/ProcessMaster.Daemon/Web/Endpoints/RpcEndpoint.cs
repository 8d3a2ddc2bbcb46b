using System.Buffers;
using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Web.Security;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Web.Endpoints;

/// <summary>
/// <c>POST /processmaster/rpc</c>: one JSON-RPC 2.0 request per POST, answered by the same <see cref="RpcMethods"/> as
/// the unix socket (same names, params, results and error codes; no handshake). <c>logs_follow</c> is served as a
/// stream instead (<see cref="StreamEndpoints"/>). Every state-changing call is journaled first with the web user and
/// address as its actor.
/// </summary>
internal static class RpcEndpoint
{
    /// <summary>Largest request body (as the socket's line limit).</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>Methods that only read: not journaled.</summary>
    public static readonly FrozenSet<string> ReadOnly = new[]
    {
        RpcMethodNames.Status, RpcMethodNames.Events, RpcMethodNames.Logs, RpcMethodNames.AdminList,
        RpcMethodNames.AdminPs, RpcMethodNames.ServerVersion, RpcMethodNames.PerfMetrics, RpcMethodNames.Metrics,
    }.ToFrozenSet(StringComparer.Ordinal);

    public static void Map(RouteGroupBuilder rpc, ConsoleServices services) =>
        rpc.MapPost("/", context => HandleAsync(context, services));

    private static async Task HandleAsync(HttpContext context, ConsoleServices services)
    {
        if (!IsJson(context.Request.ContentType))
        {
            await PageEndpoints.Plain(context, StatusCodes.Status415UnsupportedMediaType,
                "send the JSON-RPC request with Content-Type: application/json").ConfigureAwait(false);
            return;
        }
        byte[]? body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            await PageEndpoints.Plain(context, StatusCodes.Status413PayloadTooLarge,
                $"request body over {MaxBodyBytes} bytes (1 MiB); send smaller requests").ConfigureAwait(false);
            return;
        }
        JsonRpcFrame frame = JsonRpcFrame.Parse(body);
        if (frame.Error is not null)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcMessages.Error(frame.Id, frame.Error)).ConfigureAwait(false);
            return;
        }
        string method = frame.Method!;
        RpcCaller caller = CallerOf(context);
        if (method is RpcMethodNames.Handshake or RpcMethodNames.LogsFollow)
        {
            var refused = new RpcException(RpcErrorCodes.MethodNotFound, method == RpcMethodNames.Handshake
                ? "handshake: not used over HTTP (the console authenticates with basic auth; docs/web.md)"
                : "logs_follow: over HTTP, follow logs with the stream GET /processmaster/stream/logs?name=NAME (docs/web.md)");
            await WriteAsync(context, StatusCodes.Status200OK, JsonRpcMessages.Error(frame.Id, refused)).ConfigureAwait(false);
            return;
        }
        if (RpcMethods.IsKnown(method) && !ReadOnly.Contains(method))
            services.Journal.Append("web", null, $"{caller}: {method} {Target(frame.Params)}");

        byte[] reply;
        try
        {
            RpcOutcome outcome = await services.Methods.InvokeAsync(method, frame.Params, caller, context.RequestAborted).ConfigureAwait(false);
            var buffer = new ArrayBufferWriter<byte>(1024);
            JsonRpcMessages.WriteResult(buffer, frame.Id, outcome.Value, outcome.TypeInfo);
            reply = buffer.WrittenSpan.ToArray();
        }
        catch (RpcException e)
        {
            reply = JsonRpcMessages.Error(frame.Id, e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            services.Journal.Append("web", null, $"rpc {RpcMethods.Truncate(method, 64)} from {caller}: internal error: {e}", EventSeverity.Error);
            reply = JsonRpcMessages.Error(frame.Id, new RpcException(RpcErrorCodes.InternalError,
                $"{RpcMethods.Truncate(method, 64)}: internal error: {e.Message}; the daemon log has details"));
        }
        if (!frame.HasId)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await WriteAsync(context, StatusCodes.Status200OK, reply).ConfigureAwait(false);
    }

    /// <summary>The web user and address behind a request.</summary>
    public static RpcCaller CallerOf(HttpContext context) =>
        RpcCaller.Web(context.User.Identity?.Name ?? "-", context.Connection.RemoteIpAddress?.ToString());

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? type) &&
        string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes) return null;
        using var copy = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (copy.Length + read > MaxBodyBytes) return null;
                copy.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return copy.ToArray();
    }

    /// <summary>What a mutating call acts on, for the journal: <c>name</c> or <c>id</c> (printable, cut at 64), or <c>-</c>.</summary>
    private static string Target(JsonElement? @params)
    {
        if (@params is not { ValueKind: JsonValueKind.Object } p) return "-";
        foreach (string field in new[] { "name", "id" })
            if (p.TryGetProperty(field, out JsonElement value) && value.ValueKind == JsonValueKind.String)
                return Text.Printable(value.GetString(), 64);
        return "-";
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }
}
