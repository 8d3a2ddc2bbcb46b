using System.Text.Json;
using System.Text.Json.Serialization;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Protocol;

/// <summary>
/// The one source-generated JSON context for every wire type (no reflection; AOT-clean). snake_case names,
/// nulls written (as the original's status did), and unknown members rejected in params (each params type says so).
/// Always serialize through <c>ProtocolJsonContext.Default.T</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(JsonRpcRequest))]
[JsonSerializable(typeof(JsonRpcResponse))]
[JsonSerializable(typeof(JsonRpcError))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(EmptyParams))]
[JsonSerializable(typeof(HandshakeParams))]
[JsonSerializable(typeof(HandshakeResult))]
[JsonSerializable(typeof(NotCoBuiltData))]
[JsonSerializable(typeof(StatusParams))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(EventsParams))]
[JsonSerializable(typeof(EventsResult))]
[JsonSerializable(typeof(LogsParams))]
[JsonSerializable(typeof(LogsResult))]
[JsonSerializable(typeof(LogsFollowParams))]
[JsonSerializable(typeof(LogsFollowResult))]
[JsonSerializable(typeof(LogLineNotification))]
[JsonSerializable(typeof(LogsDroppedNotification))]
[JsonSerializable(typeof(LogsEndNotification))]
[JsonSerializable(typeof(ServiceActionParams))]
[JsonSerializable(typeof(ServiceActionResult))]
[JsonSerializable(typeof(UpdateParams))]
[JsonSerializable(typeof(UpdateResult))]
[JsonSerializable(typeof(LogReopenResult))]
[JsonSerializable(typeof(EnableParams))]
[JsonSerializable(typeof(EnableResult))]
[JsonSerializable(typeof(FlagParams))]
[JsonSerializable(typeof(UnflagParams))]
[JsonSerializable(typeof(FlagResult))]
[JsonSerializable(typeof(AdminListResult))]
[JsonSerializable(typeof(AdminRunParams))]
[JsonSerializable(typeof(AdminRunResult))]
[JsonSerializable(typeof(AdminPsResult))]
[JsonSerializable(typeof(AdminKillResult))]
[JsonSerializable(typeof(ServerVersionResult))]
[JsonSerializable(typeof(PerfMetricsParams))]
[JsonSerializable(typeof(PerfMetricsResult))]
[JsonSerializable(typeof(ShutdownParams))]
[JsonSerializable(typeof(ShutdownResult))]
[JsonSerializable(typeof(MetricsResult))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
