using System.Text.Json;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// One received line, read as a JSON-RPC 2.0 request: either a request (method, params, id) or the error to reply
/// with. Pure: no I/O, so every malformed-frame rule is testable alone.
/// </summary>
internal sealed class JsonRpcFrame
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    private JsonRpcFrame(JsonElement? id, bool hasId, string? method, JsonElement? @params, RpcException? error)
    {
        Id = id;
        HasId = hasId;
        Method = method;
        Params = @params;
        Error = error;
    }

    /// <summary>The request id (number or string) to echo; null when absent, null, or unreadable.</summary>
    public JsonElement? Id { get; }

    /// <summary>False for a notification (no <c>id</c> member): it gets no reply, not even an error.</summary>
    public bool HasId { get; }

    /// <summary>The method name when the frame is a valid request.</summary>
    public string? Method { get; }

    /// <summary>The params (object) or null when omitted.</summary>
    public JsonElement? Params { get; }

    /// <summary>Set when the frame is not a valid request; the reply is this error (with <see cref="Id"/> when it was readable).</summary>
    public RpcException? Error { get; }

    /// <summary>True when the reply to an error must still be sent (JSON-RPC: errors we cannot attribute are answered with id null).</summary>
    public bool WantsReply => HasId || Error is not null;

    /// <summary>Reads one line (UTF-8 JSON without the newline).</summary>
    public static JsonRpcFrame Parse(ReadOnlyMemory<byte> line)
    {
        if (!System.Text.Unicode.Utf8.IsValid(line.Span))
        {
            return Fail(RpcErrorCodes.ParseError, "parse error: the line is not valid UTF-8; send one JSON-RPC 2.0 request object per line, UTF-8, ending with \\n");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, DocumentOptions);
        }
        catch (JsonException e)
        {
            return Fail(RpcErrorCodes.ParseError,
                $"parse error: the line is not valid JSON ({Where(e)}); send one JSON-RPC 2.0 request object per line, UTF-8, ending with \\n");
        }
        catch (ArgumentException)
        {
            return Fail(RpcErrorCodes.ParseError, "parse error: the line is not valid UTF-8 JSON; send one JSON-RPC 2.0 request object per line");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                return Fail(RpcErrorCodes.InvalidRequest, "invalid request: batch requests (arrays) are not supported; send one request object per line");
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail(RpcErrorCodes.InvalidRequest, "invalid request: a request must be a JSON object {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":...}");
            }

            JsonElement? id = null;
            bool hasId = root.TryGetProperty("id", out JsonElement idElement);
            if (hasId)
            {
                if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                {
                    return Fail(RpcErrorCodes.InvalidRequest, "invalid request: \"id\" must be a string, a number or null");
                }
                if (idElement.ValueKind != JsonValueKind.Null) id = idElement.Clone();
            }

            if (!root.TryGetProperty("jsonrpc", out JsonElement version) || version.ValueKind != JsonValueKind.String ||
                version.GetString() != JsonRpcVersion.Value)
            {
                return new JsonRpcFrame(id, hasId, null, null,
                    new RpcException(RpcErrorCodes.InvalidRequest, "invalid request: \"jsonrpc\" must be \"2.0\""));
            }
            if (!root.TryGetProperty("method", out JsonElement methodElement) || methodElement.ValueKind != JsonValueKind.String ||
                string.IsNullOrEmpty(methodElement.GetString()))
            {
                return new JsonRpcFrame(id, hasId, null, null,
                    new RpcException(RpcErrorCodes.InvalidRequest, "invalid request: \"method\" must be a non-empty string"));
            }

            JsonElement? @params = null;
            if (root.TryGetProperty("params", out JsonElement paramsElement))
            {
                if (paramsElement.ValueKind == JsonValueKind.Array)
                {
                    return new JsonRpcFrame(id, hasId, null, null,
                        new RpcException(RpcErrorCodes.InvalidParams, $"{RpcMethods.Truncate(methodElement.GetString()!, 64)}: invalid params: params must be an object (by name), not an array"));
                }
                if (paramsElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                {
                    return new JsonRpcFrame(id, hasId, null, null,
                        new RpcException(RpcErrorCodes.InvalidRequest, "invalid request: \"params\" must be an object"));
                }
                if (paramsElement.ValueKind == JsonValueKind.Object) @params = paramsElement.Clone();
            }
            return new JsonRpcFrame(id, hasId, methodElement.GetString(), @params, null);
        }
    }

    private static JsonRpcFrame Fail(int code, string message) => new(null, false, null, null, new RpcException(code, message));

    private static string Where(JsonException e) =>
        e.BytePositionInLine is long position ? $"at byte {position}" : "unexpected end";
}
