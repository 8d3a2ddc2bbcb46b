using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>logs</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LogsParams
{
    /// <summary>The service.</summary>
    public required string Name { get; init; }
    /// <summary>Last lines per file (0..10000; default 50).</summary>
    public int N { get; set; } = 50;
}

/// <summary>Result of <c>logs</c> (and the backlog of <c>logs_follow</c>).</summary>
public sealed record LogsResult
{
    /// <summary>stdout, stderr, then each hint that exists, sorted by path.</summary>
    public IReadOnlyList<LogFileTail> Files { get; set; } = [];
}

/// <summary>The last lines of one log file.</summary>
public sealed record LogFileTail
{
    /// <summary>Canonical path.</summary>
    public required string Path { get; init; }
    /// <summary>Service that owns the file.</summary>
    public string? App { get; init; }
    /// <summary>The lines, oldest first, without newline (invalid UTF-8 replaced, long lines split at 4096 bytes).</summary>
    public IReadOnlyList<string> Lines { get; set; } = [];
}
