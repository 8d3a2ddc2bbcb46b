namespace ProcessMaster.Protocol.JsonRpc;

/// <summary>The protocol constants of the JSON-RPC 2.0 framing on the unix socket.</summary>
public static class JsonRpcVersion
{
    /// <summary>The value of every message's <c>jsonrpc</c> member.</summary>
    public const string Value = "2.0";

    /// <summary>The longest request line the daemon accepts, newline excluded (1 MiB).</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    /// <summary>
    /// Version of the method set and shapes in <c>docs/rpc.md</c>; bumped when a method or field changes meaning.
    /// Added fields do not bump it.
    /// </summary>
    public const int ProtocolVersion = 1;
}
