namespace ProcessMaster.Core.Config;

/// <summary>
/// Bounds on what a configuration file may make the daemon do. A definition can be written by whoever owns its
/// directory, and the daemon runs as root: no file may exhaust its stack, memory or CPU while it loads, and no
/// value it accepts may fail later where the kernel or a timer would refuse it. Each bound is checked when the file
/// loads, so <c>--check</c>, boot and <c>update</c> report the same problem.
/// </summary>
public static class ConfigLimits
{
    /// <summary>Deepest nesting of lists and mappings (the schema needs 5). Checked on the parser's event stream,
    /// before any recursion, so <c>[[[[…</c> of any depth is refused at its 65th bracket.</summary>
    public const int MaxNestingDepth = 64;

    /// <summary>
    /// Largest document after alias expansion, in characters of scalar text plus one per node. A file without
    /// aliases stays below twice its size; the limit stops alias amplification (a flat list of aliases to one big
    /// scalar, or nested "billion laughs") before anything downstream walks or copies the expansion.
    /// </summary>
    public const int MaxExpandedSize = 4 << 20;

    /// <summary>Longest single value (characters). Far above any path, command word or variable the schema takes.</summary>
    public const int MaxScalarLength = 64 << 10;

    /// <summary>Largest argv of one command: the UTF-8 bytes of every word plus its NUL (start_command,
    /// stop_command, admin action command). The kernel's own limit for one string is 128 KiB (MAX_ARG_STRLEN).</summary>
    public const int MaxArgvBytes = 128 << 10;

    /// <summary>Largest configured environment: <c>NAME=value</c> plus NUL for every literal entry (after
    /// <c>@base64://</c>/<c>@hex://</c> decoding). <c>@file://</c> values are read, and capped, at each start.</summary>
    public const int MaxEnvironmentBytes = 128 << 10;

    /// <summary>Problems kept per file; the rest are counted and reported as "… and N more".</summary>
    public const int MaxProblemsPerFile = 100;

    /// <summary>Unknown keys that get a "did you mean" suggestion; later ones list the valid keys only.</summary>
    public const int MaxSuggestions = 5;
}
