using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>handshake</c>: the client's build stamp (<see cref="BuildInfo"/>) and what it is.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HandshakeParams
{
    /// <summary>Host the client was built on (<see cref="BuildInfo.Host"/>).</summary>
    public required string BuildHost { get; init; }
    /// <summary>Build time of the client (<see cref="BuildInfo.Time"/>).</summary>
    public required string BuildTime { get; init; }
    /// <summary>Client name for logs, e.g. <c>pmctl</c>.</summary>
    public string? Client { get; init; }
}

/// <summary>Result of <c>handshake</c>: the daemon's identity.</summary>
public sealed record HandshakeResult
{
    /// <summary>Always <c>processmaster</c>.</summary>
    public string Server { get; set; } = "processmaster";
    /// <summary><see cref="JsonRpc.JsonRpcVersion.ProtocolVersion"/>.</summary>
    public int ProtocolVersion { get; init; }
    /// <summary>The daemon's build host.</summary>
    public required string BuildHost { get; init; }
    /// <summary>The daemon's build time.</summary>
    public required string BuildTime { get; init; }
}

/// <summary>The <c>data</c> of a <see cref="JsonRpc.RpcErrorCodes.NotCoBuilt"/> error: both stamps.</summary>
public sealed record NotCoBuiltData
{
    /// <summary>The daemon's stamp.</summary>
    public required BuildStamp Daemon { get; init; }
    /// <summary>The client's stamp as it sent it.</summary>
    public required BuildStamp Client { get; init; }
}

/// <summary>A build stamp on the wire.</summary>
public sealed record BuildStamp
{
    /// <summary>Build host.</summary>
    public required string BuildHost { get; init; }
    /// <summary>Build time.</summary>
    public required string BuildTime { get; init; }
}
