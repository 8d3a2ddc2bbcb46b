using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Credentials;

namespace ProcessMaster.Linux.Spawn;

/// <summary>Everything needed to start one program.</summary>
/// <param name="Program">The program: a path (absolute, or relative to <paramref name="WorkingDirectory"/>) or a bare name searched in the PATH of <paramref name="Environment"/>.</param>
/// <param name="Arguments">Arguments after argv[0].</param>
/// <param name="WorkingDirectory">Absolute directory the child starts in; entered after the privilege drop, with the child's own rights.</param>
/// <param name="Environment">The complete environment as <c>NAME=value</c> entries (see <see cref="SpawnEnvironment"/>).</param>
public sealed record SpawnRequest(string Program, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyList<string> Environment)
{
    /// <summary>argv[0] as the child sees it; defaults to <see cref="Program"/>.</summary>
    public string? Argv0 { get; init; }

    /// <summary>The cgroup (an attach leaf) the child is born into (clone3 CLONE_INTO_CGROUP); null keeps the daemon's cgroup.</summary>
    public CgroupNode? Cgroup { get; init; }

    /// <summary>Identity to switch to before exec; null keeps the daemon's.</summary>
    public UserCredentials? Credentials { get; init; }

    /// <summary>stdout target; <c>/dev/null</c> by default.</summary>
    public SpawnOutput Stdout { get; init; } = SpawnOutput.Null;

    /// <summary>stderr target; the same as stdout by default.</summary>
    public SpawnOutput Stderr { get; init; } = SpawnOutput.SameAsStdout;

    /// <summary>The child's file mode creation mask (<c>process.umask</c>); null inherits the daemon's (077).</summary>
    public uint? Umask { get; init; }

    /// <summary>Sets no_new_privs before exec: setuid/setgid bits and file capabilities no longer raise privileges.</summary>
    public bool NoNewPrivileges { get; init; }

    /// <summary>
    /// Start the program under an exit keeper that records its exit status in <see cref="ExitRecords"/> under
    /// <see cref="RecordName"/>, so the status survives a daemon restart; null starts it as the daemon's own child.
    /// </summary>
    public ExitRecords? ExitRecords { get; init; }

    /// <summary>The record's name (the service name); required with <see cref="ExitRecords"/>.</summary>
    public string? RecordName { get; init; }

    /// <summary>Who is being started, for messages (e.g. <c>service "web"</c>).</summary>
    public string Subject { get; init; } = "spawn";
}
