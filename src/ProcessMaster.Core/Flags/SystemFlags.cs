using System.Collections.Frozen;

namespace ProcessMaster.Core.Flags;

/// <summary>Names, scopes and parsing of <see cref="SystemFlag"/> values.</summary>
public static class SystemFlags
{
    private static readonly string[] Names =
    [
        "failed", "backoff", "outdated", "user_stop", "user_start", "ot_killed", "exit_ok", "exit_err",
        "dummy1", "dummy2", "dummy3", "dummy4", "dummy5", "dummy6", "dummy7", "dummy8", "dummy9", "dummy10",
        "system_start", "no_flag", "flag_bug",
    ];

    private static readonly FrozenDictionary<string, SystemFlag> ByName =
        Enumerable.Range(0, Names.Length).ToFrozenDictionary(i => Names[i], i => (SystemFlag)i, StringComparer.Ordinal);

    /// <summary>Every system flag in declaration (display) order.</summary>
    public static IReadOnlyList<SystemFlag> All { get; } = Enum.GetValues<SystemFlag>();

    /// <summary>The wire name, e.g. <c>user_stop</c>.</summary>
    public static string Name(this SystemFlag flag) => Names[(int)flag];

    /// <summary>Parses a wire name; exact and case-sensitive (callers trim).</summary>
    public static bool TryParse(string name, out SystemFlag flag) => ByName.TryGetValue(name, out flag);

    /// <summary>When the flag is shown (§5.5 of the original's behaviour).</summary>
    public static FlagScope Scope(this SystemFlag flag) => flag switch
    {
        SystemFlag.Failed or SystemFlag.Backoff or SystemFlag.OtKilled or SystemFlag.ExitOk
            or SystemFlag.ExitErr or SystemFlag.UserStop => FlagScope.Stopped,
        SystemFlag.UserStart or SystemFlag.SystemStart => FlagScope.Running,
        _ => FlagScope.Both,
    };

    /// <summary>Whether the flag is shown for a service that is (or is not) running.</summary>
    public static bool IsShown(this SystemFlag flag, bool running) => flag.Scope() switch
    {
        FlagScope.Stopped => !running,
        FlagScope.Running => running,
        _ => true,
    };

    /// <summary>The flags of <paramref name="flags"/> shown for a running or stopped service, in display order.</summary>
    public static IEnumerable<SystemFlag> Visible(FlagSet<SystemFlag> flags, bool running) =>
        flags.Names.Where(f => f.IsShown(running));
}
