using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>enable</c> and <c>disable</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EnableParams
{
    /// <summary>The service.</summary>
    public required string Name { get; init; }
}

/// <summary>Result of <c>enable</c> and <c>disable</c>.</summary>
public sealed record EnableResult
{
    /// <summary>The service.</summary>
    public required string Name { get; init; }
    /// <summary>The new value of <c>global.enabled</c>.</summary>
    public bool Enabled { get; init; }
    /// <summary><c>enabled web</c> / <c>disabled web</c>.</summary>
    public required string Message { get; init; }
}
