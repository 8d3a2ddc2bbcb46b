using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>flag</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FlagParams
{
    /// <summary>The service, or <c>all</c>: every service (enabled or not).</summary>
    public required string Name { get; init; }
    /// <summary>Flags to set: at most 100, each at most 50 bytes; trimmed and lower-cased, then only <c>a-z 0-9 _ . : -</c>; empties dropped, at least one.</summary>
    public required IReadOnlyList<string> Flags { get; init; }
    /// <summary>Expiry, e.g. <c>1h</c>, <c>3h1m</c>, <c>1500ms</c>; null = never.</summary>
    public string? Ttl { get; init; }
}

/// <summary>Params of <c>unflag</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UnflagParams
{
    /// <summary>The service, or <c>all</c>.</summary>
    public required string Name { get; init; }
    /// <summary>Flags to remove (same rules as <c>flag</c>); absent ones are ignored.</summary>
    public required IReadOnlyList<string> Flags { get; init; }
}

/// <summary>Result of <c>flag</c> and <c>unflag</c>.</summary>
public sealed record FlagResult
{
    /// <summary>The service, or <c>all</c>.</summary>
    public required string Name { get; init; }
    /// <summary>All current user flags of the service, sorted (for <c>all</c>: every flag any service carries).</summary>
    public IReadOnlyList<string> Flags { get; set; } = [];
    /// <summary>One line per service: <c>web: flags=canary,maint</c>.</summary>
    public required string Message { get; init; }
    /// <summary>Each service changed, sorted by name, with its flags afterwards.</summary>
    public IReadOnlyList<FlagTarget> Targets { get; set; } = [];
}

/// <summary>One service's user flags after <c>flag</c>/<c>unflag</c>.</summary>
public sealed record FlagTarget
{
    /// <summary>The service.</summary>
    public required string Name { get; init; }
    /// <summary>Its user flags, sorted.</summary>
    public IReadOnlyList<string> Flags { get; set; } = [];
}
