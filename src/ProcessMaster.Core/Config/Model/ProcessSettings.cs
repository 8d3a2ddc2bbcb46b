using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary><c>process.*</c> except the scheduling keys (those live in <see cref="RunMode.Job"/>).</summary>
/// <param name="WorkingDirectory">Absolute or as written; default <c>&lt;auto_service_directory&gt;/&lt;name&gt;</c>.
/// A relative value is resolved against the definition file's directory.</param>
/// <param name="StartCommand">argv, non-empty (default <c>./run.sh</c>).</param>
/// <param name="Stop">Signal (default SIGTERM) or stop command.</param>
/// <param name="StopGracePeriod">Time between the stop signal/command and <c>cgroup.kill</c> (default 5000 ms).</param>
/// <param name="User">User to run as (name or numeric uid); null = the daemon's user.</param>
/// <param name="Group">Group to run as; null = the user's primary group. Never set without <paramref name="User"/>.</param>
/// <param name="AllowRoot">Explicit consent to run with uid 0, gid 0 or supplementary group 0 when <paramref name="User"/>
/// resolves to one of them (default false: such a definition is refused at load, audit N-14).</param>
/// <param name="Environment">Extra variables, in file order.</param>
/// <param name="InheritEnvironment">Start from the daemon's environment instead of the minimal one (default false).</param>
public sealed record ProcessSettings(
    string WorkingDirectory,
    ValueList<string> StartCommand,
    StopMethod Stop,
    Duration StopGracePeriod,
    string? User,
    string? Group,
    ValueList<EnvironmentVariable> Environment,
    bool InheritEnvironment,
    bool AllowRoot = false)
{
    /// <summary>The umask a service gets unless <c>process.umask</c> says otherwise: 022.</summary>
    public static readonly OctalMode DefaultUmask = new(0x12);

    /// <summary><c>process.umask</c>: the child's file mode creation mask (permission bits only; default 022).</summary>
    public OctalMode Umask { get; init; } = DefaultUmask;

    /// <summary><c>process.no_new_privileges</c>: exec with no_new_privs set (setuid bits and file capabilities stop working; default false).</summary>
    public bool NoNewPrivileges { get; init; }
}
