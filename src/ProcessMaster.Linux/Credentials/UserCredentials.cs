namespace ProcessMaster.Linux.Credentials;

/// <summary>
/// The exact identity a child gets: uid, gid and the complete supplementary group list (sorted, deduplicated,
/// always containing <see cref="Gid"/>). The spawn shim calls setgroups with exactly this list, so a child never
/// keeps root's groups by accident.
/// </summary>
/// <param name="Uid">Real and effective user id.</param>
/// <param name="Gid">Real and effective group id.</param>
/// <param name="Groups">Supplementary groups (initgroups semantics: getgrouplist(user, gid)).</param>
/// <param name="UserName">The user's name (or the numeric id as text when it has no passwd entry), for USER and LOGNAME.</param>
/// <param name="Home">The passwd home directory, or <c>/</c>, for HOME.</param>
/// <param name="Shell">The passwd shell, for reference (SHELL in a clean environment is <c>/bin/sh</c>).</param>
public sealed record UserCredentials(uint Uid, uint Gid, IReadOnlyList<uint> Groups, string UserName, string Home, string Shell)
{
    /// <summary>Value equality over the group list too.</summary>
    public bool Equals(UserCredentials? other) =>
        other is not null && Uid == other.Uid && Gid == other.Gid && Groups.SequenceEqual(other.Groups) &&
        UserName == other.UserName && Home == other.Home && Shell == other.Shell;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Uid, Gid, Groups.Count, UserName);
}
