namespace ProcessMaster.Linux.Credentials;

/// <summary>One group database entry (getgrnam_r/getgrgid_r).</summary>
/// <param name="Name">Group name.</param>
/// <param name="Gid">Group id.</param>
public sealed record GroupEntry(string Name, uint Gid);
