namespace ProcessMaster.Core.Config.Model;

/// <summary>
/// The validated master config (<c>processmaster -c FILE</c>). Every value is typed and defaulted;
/// relative paths are already resolved against the config file's directory. Value equality tells a
/// reload what changed.
/// </summary>
/// <param name="SourceFile">The config file path as given.</param>
/// <param name="Cgroup"><c>cgroup.*</c></param>
/// <param name="UnixSocket"><c>unix_socket.*</c></param>
/// <param name="Global"><c>global.*</c></param>
/// <param name="WebConsole"><c>web_console.*</c></param>
/// <param name="AdminActions"><c>admin_actions.*</c>, sorted by id (ordinal).</param>
public sealed record MasterConfig(
    string SourceFile,
    CgroupSettings Cgroup,
    UnixSocketSettings UnixSocket,
    GlobalSettings Global,
    WebConsoleSettings WebConsole,
    ValueList<AdminAction> AdminActions);
