using System.Text.Json;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// A failure the client gets as a JSON-RPC error: a code of <see cref="RpcErrorCodes"/> and a message an operator can
/// act on (STYLE §8: subject, what failed, why, what next). Thrown by <see cref="ISupervisorApi"/> implementations and
/// by the RPC layer itself.
/// </summary>
internal sealed class RpcException : Exception
{
    /// <summary>Creates the error.</summary>
    public RpcException(int code, string message, JsonElement? data = null) : base(message)
    {
        Code = code;
        ErrorData = data;
    }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>Optional structured detail for the error's <c>data</c> member.</summary>
    public JsonElement? ErrorData { get; }

    /// <summary><c>unknown service: NAME</c> with <see cref="RpcErrorCodes.UnknownService"/>.</summary>
    public static RpcException UnknownService(string name) =>
        new(RpcErrorCodes.UnknownService, $"unknown service: {name}; `pmctl status` lists the loaded services");

    /// <summary>A bad params field with <see cref="RpcErrorCodes.InvalidParams"/>.</summary>
    public static RpcException InvalidParams(string method, string problem) =>
        new(RpcErrorCodes.InvalidParams, $"{method}: invalid params: {problem}");
}
