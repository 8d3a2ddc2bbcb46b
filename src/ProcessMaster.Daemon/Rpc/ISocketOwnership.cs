namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// Changes the owner and group of the bound socket file by name. The listener checks for root first; an
/// implementation throws <see cref="SocketSetupException"/> for an unknown user or group.
/// </summary>
internal interface ISocketOwnership
{
    /// <summary>chown/chgrp <paramref name="path"/>; a null name leaves that part unchanged.</summary>
    void Apply(string path, string? owner, string? group);
}
