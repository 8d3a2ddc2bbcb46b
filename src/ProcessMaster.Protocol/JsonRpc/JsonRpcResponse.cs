using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.JsonRpc;

/// <summary>
/// A JSON-RPC 2.0 response as a client reads it: exactly one of <see cref="Result"/> and <see cref="Error"/> is set.
/// <see cref="Id"/> echoes the request's id, or is null when the request could not be read.
/// </summary>
public sealed class JsonRpcResponse
{
    /// <summary>Always <c>"2.0"</c>.</summary>
    [JsonPropertyName("jsonrpc")]
    public string JsonRpc { get; init; } = JsonRpcVersion.Value;

    /// <summary>The request's id (number or string), or null.</summary>
    public JsonElement? Id { get; init; }

    /// <summary>The method's result object on success.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Result { get; init; }

    /// <summary>The error on failure.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonRpcError? Error { get; init; }

    /// <summary>Notifications (server → client) carry a method and no id; a response never does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Method { get; init; }

    /// <summary>A notification's params.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Params { get; init; }
}
