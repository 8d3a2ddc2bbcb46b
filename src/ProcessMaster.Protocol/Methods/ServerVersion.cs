namespace ProcessMaster.Protocol.Methods;

/// <summary>Result of <c>server_version</c>.</summary>
public sealed record ServerVersionResult
{
    /// <summary><see cref="BuildInfo.Banner"/> of the daemon.</summary>
    public required string Banner { get; init; }
    /// <summary>The daemon's build host.</summary>
    public required string BuildHost { get; init; }
    /// <summary>The daemon's build time.</summary>
    public required string BuildTime { get; init; }
    /// <summary><see cref="JsonRpc.JsonRpcVersion.ProtocolVersion"/>.</summary>
    public int ProtocolVersion { get; init; }
}
