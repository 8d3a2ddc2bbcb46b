using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>update</c>: <c>{}</c> or omitted reloads the service definitions.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateParams
{
    /// <summary>Re-read the master configuration first: apply the keys that can change live, name the ones that need
    /// a restart, then reload the definitions. A master configuration with a problem changes nothing.</summary>
    public bool Master { get; init; }
}

/// <summary>Result of <c>update</c>.</summary>
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
    /// <summary><c>update --master</c>: each changed master key applied live, e.g. <c>global.log_file</c>.</summary>
    public IReadOnlyList<string> MasterApplied { get; set; } = [];
    /// <summary><c>update --master</c>: each changed master key that only a daemon restart applies, with why, e.g.
    /// <c>cgroup.name changes only at restart</c>.</summary>
    public IReadOnlyList<string> RestartRequired { get; set; } = [];
}
