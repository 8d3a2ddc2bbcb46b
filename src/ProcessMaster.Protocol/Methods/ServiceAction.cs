using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>start</c>, <c>stop</c> and <c>restart</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ServiceActionParams
{
    /// <summary>A service name, or <c>all</c>.</summary>
    public required string Name { get; init; }
    /// <summary>Start/restart even when disabled (<c>all</c>: include disabled services). <c>stop</c>: do not wait out
    /// the grace period: <c>cgroup.kill</c> now.</summary>
    public bool Force { get; init; }
}

/// <summary>Result of <c>start</c>, <c>stop</c>, <c>restart</c> when every target was accepted.</summary>
public sealed record ServiceActionResult
{
    /// <summary>The lines of <see cref="Targets"/> joined with newlines, e.g. <c>web: accepted (desired=RUNNING)</c>.</summary>
    public required string Message { get; init; }
    /// <summary>One entry per target, sorted by name.</summary>
    public IReadOnlyList<TargetOutcome> Targets { get; set; } = [];
}

/// <summary>What happened to one target of an action.</summary>
public sealed record TargetOutcome
{
    /// <summary>Service name.</summary>
    public required string Name { get; init; }
    /// <summary>Accepted (true) or failed (false).</summary>
    public bool Ok { get; init; }
    /// <summary><c>web: accepted (desired=RUNNING)</c>, <c>nightly: accepted (run once)</c>, or the failure.</summary>
    public required string Message { get; init; }
}
