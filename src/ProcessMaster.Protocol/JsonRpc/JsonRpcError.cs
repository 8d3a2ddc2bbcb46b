using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.JsonRpc;

/// <summary>The <c>error</c> member of a failed response. <see cref="Code"/> is one of <see cref="RpcErrorCodes"/>.</summary>
public sealed class JsonRpcError
{
    /// <summary>Numeric code; see <see cref="RpcErrorCodes"/> and docs/rpc.md.</summary>
    public required int Code { get; init; }

    /// <summary>Text an operator can act on: subject, what failed, why, what next.</summary>
    public required string Message { get; init; }

    /// <summary>Optional structured detail (e.g. both build stamps for <see cref="RpcErrorCodes.NotCoBuilt"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Data { get; init; }
}
