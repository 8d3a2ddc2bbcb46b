using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of methods that take none (<c>update</c>, <c>admin_list</c>, <c>server_version</c>, ...): <c>{}</c> or omitted.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EmptyParams;
