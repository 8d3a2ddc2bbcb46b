using System.Runtime.InteropServices;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Credentials;

/// <summary>Changing who owns a path the daemon created itself (its socket), by user and group name or id.</summary>
public static class PathOwnership
{
    /// <summary>lchown <paramref name="path"/> to <paramref name="owner"/>:<paramref name="group"/>; a null name leaves that part alone.
    /// Unknown names throw <see cref="ArgumentException"/> naming them.</summary>
    public static void Apply(string path, string? owner, string? group)
    {
        if (owner is null && group is null) return;
        uint uid = Libc.ChownUnchanged, gid = Libc.ChownUnchanged;
        if (owner is not null) uid = (UserDatabase.FindUser(owner) ?? throw new ArgumentException($"unknown user \"{owner}\"", nameof(owner))).Uid;
        if (group is not null) gid = (UserDatabase.FindGroup(group) ?? throw new ArgumentException($"unknown group \"{group}\"", nameof(group))).Gid;
        if (Libc.Lchown(path, uid, gid) != 0)
            throw new LinuxException("lchown", Marshal.GetLastPInvokeError(), path);
    }
}
