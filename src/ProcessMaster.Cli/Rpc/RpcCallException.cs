namespace ProcessMaster.Cli.Rpc;

/// <summary>The daemon answered with a JSON-RPC error; <see cref="Exception.Message"/> is its text.</summary>
internal sealed class RpcCallException : Exception
{
    public RpcCallException(int code, string message) : base(message) => Code = code;

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }
}
