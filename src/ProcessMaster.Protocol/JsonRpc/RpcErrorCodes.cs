namespace ProcessMaster.Protocol.JsonRpc;

/// <summary>
/// Every error code the daemon sends (docs/rpc.md "Errors"). The -327xx/-326xx codes are JSON-RPC 2.0's own;
/// -32000..-32099 are ours.
/// </summary>
public static class RpcErrorCodes
{
    /// <summary>The line is not valid JSON (or not UTF-8).</summary>
    public const int ParseError = -32700;

    /// <summary>Valid JSON but not a request: not an object, a batch array, wrong <c>jsonrpc</c>, bad <c>id</c> or <c>method</c>, or over 1 MiB.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>No such method.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>The params are missing a field, have an unknown field, a wrong type or a bad value; the message names the field.</summary>
    public const int InvalidParams = -32602;

    /// <summary>The daemon failed unexpectedly; the message says what failed.</summary>
    public const int InternalError = -32603;

    /// <summary>An operation was tried and failed (e.g. a spawn failed, some targets of <c>start all</c> failed).</summary>
    public const int OperationFailed = -32000;

    /// <summary>The handshake's build stamp differs from the daemon's; the connection is closed after this reply.</summary>
    public const int NotCoBuilt = -32001;

    /// <summary>No service (or admin action) of that name is loaded.</summary>
    public const int UnknownService = -32002;

    /// <summary>Refused in the current state (service disabled without <c>force</c>, action not configured, already following, ...).</summary>
    public const int Refused = -32003;

    /// <summary>Needs privileges the daemon does not have (not running as root).</summary>
    public const int NotPermitted = -32004;

    /// <summary>A limit was reached (too many connections or log followers); try again later.</summary>
    public const int Busy = -32005;

    /// <summary>A method was called before a successful <c>handshake</c> on this connection.</summary>
    public const int HandshakeRequired = -32006;

    /// <summary>The name of a code, for messages and docs (<c>"invalid_params"</c>), or null when unknown.</summary>
    public static string? NameOf(int code) => code switch
    {
        ParseError => "parse_error",
        InvalidRequest => "invalid_request",
        MethodNotFound => "method_not_found",
        InvalidParams => "invalid_params",
        InternalError => "internal_error",
        OperationFailed => "operation_failed",
        NotCoBuilt => "not_co_built",
        UnknownService => "unknown_service",
        Refused => "refused",
        NotPermitted => "not_permitted",
        Busy => "busy",
        HandshakeRequired => "handshake_required",
        _ => null,
    };
}
