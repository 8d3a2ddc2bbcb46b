namespace ProcessMaster.Daemon.Rpc;

/// <summary>The RPC socket could not be set up; the message says what, why and how to fix it. The daemon refuses to start.</summary>
internal sealed class SocketSetupException : Exception
{
    /// <summary>Creates the error.</summary>
    public SocketSetupException(string message, Exception? inner = null) : base(message, inner) { }
}
