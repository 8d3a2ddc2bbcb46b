using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>flag</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FlagParams
{
    /// <summary>The service (<c>all</c> stores flags on a pseudo-app, as the original did).</summary>
    public required string Name { get; init; }
    /// <summary>Flags to set; trimmed and lower-cased by the daemon, empties dropped, at least one.</summary>
    public required IReadOnlyList<string> Flags { get; init; }
    /// <summary>Expiry, e.g. <c>1h</c>, <c>3h1m</c>, <c>1500ms</c>; null = never.</summary>
    public string? Ttl { get; init; }
}

/// <summary>Params of <c>unflag</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UnflagParams
{
    /// <summary>The service.</summary>
    public required string Name { get; init; }
    /// <summary>Flags to remove; absent ones are ignored.</summary>
    public required IReadOnlyList<string> Flags { get; init; }
}

/// <summary>Result of <c>flag</c> and <c>unflag</c>.</summary>
public sealed record FlagResult
{
    /// <summary>The service.</summary>
    public required string Name { get; init; }
    /// <summary>All current user flags, sorted.</summary>
    public IReadOnlyList<string> Flags { get; set; } = [];
    /// <summary><c>web: flags=canary,maint</c>.</summary>
    public required string Message { get; init; }
}
