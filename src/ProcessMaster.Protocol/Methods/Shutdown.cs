using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>shutdown</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ShutdownParams
{
    /// <summary>Stop every service before exiting; default false = services keep running and are adopted on the next start.</summary>
    public bool StopServices { get; init; }
}

/// <summary>Result of <c>shutdown</c>: sent before the daemon begins shutting down.</summary>
public sealed record ShutdownResult
{
    /// <summary>Echo of the request.</summary>
    public bool StopServices { get; init; }
    /// <summary>e.g. <c>shutting down; services keep running and are adopted on the next start</c>.</summary>
    public required string Message { get; init; }
}
