using System.Text.Json.Serialization;
using ProcessMaster.Daemon.Web.Feeds;

namespace ProcessMaster.Daemon.Web;

/// <summary>The source-generated JSON context of the console's own stream messages (the RPC types are in ProtocolJsonContext).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(UsageSample))]
[JsonSerializable(typeof(StreamHello))]
[JsonSerializable(typeof(StreamError))]
internal sealed partial class WebJsonContext : JsonSerializerContext;

/// <summary>An <c>error</c> message on a stream that cannot go on (unknown service, bad parameter); the page stops it.</summary>
internal sealed record StreamError
{
    public required int Code { get; init; }

    public required string Message { get; init; }
}
