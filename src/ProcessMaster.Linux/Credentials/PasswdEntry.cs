namespace ProcessMaster.Linux.Credentials;

/// <summary>One passwd database entry (getpwnam_r/getpwuid_r).</summary>
/// <param name="Name">Login name.</param>
/// <param name="Uid">User id.</param>
/// <param name="Gid">Primary group id.</param>
/// <param name="Home">Home directory (may not exist, e.g. <c>/nonexistent</c> for nobody).</param>
/// <param name="Shell">Login shell.</param>
public sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home, string Shell);
