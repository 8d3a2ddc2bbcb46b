using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.JsonRpc;

/// <summary>
/// A JSON-RPC 2.0 request as a client writes it: <c>{"jsonrpc":"2.0","id":1,"method":"status","params":{...}}</c>.
/// Without <see cref="Id"/> it is a notification and gets no reply.
/// </summary>
public sealed class JsonRpcRequest
{
    /// <summary>Always <c>"2.0"</c>.</summary>
    [JsonPropertyName("jsonrpc")]
    public string JsonRpc { get; init; } = JsonRpcVersion.Value;

    /// <summary>Correlates the reply; a number or a string. Null makes the request a notification.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Id { get; init; }

    /// <summary>One of <see cref="RpcMethodNames"/>.</summary>
    public required string Method { get; init; }

    /// <summary>The method's params object; omitted when the method takes none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Params { get; init; }
}
