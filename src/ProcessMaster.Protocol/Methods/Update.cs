namespace ProcessMaster.Protocol.Methods;

/// <summary>Result of <c>update</c> (reload service definitions; takes no params).</summary>
public sealed record UpdateResult
{
    /// <summary><c>updated</c>, <c>updated (warnings: 2)</c>, or <c>update skipped: ...</c> (kept last-known-good).</summary>
    public required string Message { get; init; }
    /// <summary>Services (re)started because their definition changed.</summary>
    public IReadOnlyList<string> Restarted { get; set; } = [];
    /// <summary>Each warning of the reload (also sent as events).</summary>
    public IReadOnlyList<string> Warnings { get; set; } = [];
    /// <summary>False when the reload was skipped because the new definitions did not load.</summary>
    public bool Applied { get; set; } = true;
}
