using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Result of <c>admin_list</c>.</summary>
public sealed record AdminListResult
{
    /// <summary>Configured actions, sorted by id.</summary>
    public IReadOnlyList<AdminActionInfo> AdminActions { get; set; } = [];
}

/// <summary>One configured admin action.</summary>
public sealed record AdminActionInfo
{
    /// <summary>The action id (key under <c>admin_actions</c>).</summary>
    public required string Name { get; init; }
    /// <summary>Its label (the id when not configured).</summary>
    public required string Label { get; init; }
}

/// <summary>Params of <c>admin_run</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AdminRunParams
{
    /// <summary>The action id, matched exactly (case-sensitive).</summary>
    public required string Id { get; init; }
}

/// <summary>Result of <c>admin_run</c>: the action was spawned (fire and forget).</summary>
public sealed record AdminRunResult
{
    /// <summary>The action id.</summary>
    public required string Id { get; init; }
    /// <summary>PID of the spawned command.</summary>
    public int Pid { get; init; }
    /// <summary><c>admin_action update-pm spawned pid=12345</c>.</summary>
    public required string Message { get; init; }
}

/// <summary>Result of <c>admin_ps</c>.</summary>
public sealed record AdminPsResult
{
    /// <summary>PIDs in the admin-actions cgroup, sorted.</summary>
    public IReadOnlyList<int> Pids { get; set; } = [];
    /// <summary>One PID per line, or <c>(none)</c>.</summary>
    public required string Message { get; init; }
}

/// <summary>Result of <c>admin_kill</c>.</summary>
public sealed record AdminKillResult
{
    /// <summary>How many processes were in the cgroup before the kill.</summary>
    public int PidsBefore { get; init; }
    /// <summary><c>killed admin actions via cgroup.kill (pids_before=2)</c>.</summary>
    public required string Message { get; init; }
}
