using ProcessMaster.Linux;
using ProcessMaster.Linux.Credentials;

namespace ProcessMaster.Daemon.Rpc;

/// <summary><see cref="ISocketOwnership"/> through lchown(2) and the user database (names or numeric ids).</summary>
internal sealed class LinuxSocketOwnership : ISocketOwnership
{
    /// <inheritdoc />
    public void Apply(string path, string? owner, string? group)
    {
        if (owner is not null && UserDatabase.FindUser(owner) is null)
            throw new SocketSetupException($"unix socket {path}: unknown unix_socket.owner user \"{owner}\"; fix unix_socket.owner (or set it to null)");
        if (group is not null && UserDatabase.FindGroup(group) is null)
            throw new SocketSetupException($"unix socket {path}: unknown unix_socket.group \"{group}\"; fix unix_socket.group (or set it to null)");
        try
        {
            PathOwnership.Apply(path, owner, group);
        }
        catch (Exception e) when (e is ArgumentException or LinuxException)
        {
            throw new SocketSetupException($"unix socket {path}: cannot set its owner/group: {e.Message}; fix unix_socket.owner/group (or set them to null)");
        }
    }
}
