using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>logs_follow</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LogsFollowParams
{
    /// <summary>One service; null = every service.</summary>
    public string? Name { get; init; }
    /// <summary>Only files with exactly this base name (e.g. <c>stderr.log</c>); null = all.</summary>
    public string? File { get; init; }
    /// <summary>Backlog lines per file before following (0..10000; default 50).</summary>
    public int N { get; set; } = 50;
}

/// <summary>
/// Result of <c>logs_follow</c>: the backlog of every followed file. After this reply the daemon sends
/// <c>logs_line</c> notifications (<see cref="LogLineNotification"/>) until the client closes the connection.
/// </summary>
public sealed record LogsFollowResult
{
    /// <summary>Each followed file with its last <c>n</c> lines.</summary>
    public IReadOnlyList<LogFileTail> Files { get; set; } = [];
}

/// <summary>Params of the <c>logs_line</c> notification: one new complete line of a followed file.</summary>
public sealed record LogLineNotification
{
    /// <summary>The file (as in <see cref="LogsFollowResult"/>).</summary>
    public required string Path { get; init; }
    /// <summary>Service that owns the file.</summary>
    public string? App { get; init; }
    /// <summary>The line without newline.</summary>
    public required string Line { get; init; }
}

/// <summary>
/// Params of the <c>logs_dropped</c> notification: the client read too slowly, its queue was full and this many
/// lines were dropped (the daemon never waits for a slow follower). Sent before the next line that fits.
/// </summary>
public sealed record LogsDroppedNotification
{
    /// <summary>Lines dropped since the previous line sent.</summary>
    public long Dropped { get; init; }
}

/// <summary>
/// Params of the <c>logs_end</c> notification: the daemon stopped following (service removed, daemon shutting down,
/// an error). No more <c>logs_line</c> notifications follow; the connection stays usable.
/// </summary>
public sealed record LogsEndNotification
{
    /// <summary>Why following ended.</summary>
    public required string Reason { get; init; }
}
