namespace ProcessMaster.Protocol.Methods;

/// <summary>Result of <c>log_reopen</c> (no params): the daemon log was closed and opened again at its path.</summary>
public sealed record LogReopenResult
{
    /// <summary>The daemon log (<c>global.log_file</c>), absolute.</summary>
    public required string Path { get; init; }
    /// <summary><c>daemon log reopened: PATH</c>.</summary>
    public required string Message { get; init; }
}
