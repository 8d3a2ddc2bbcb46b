namespace ProcessMaster.Core.Config.Model;

/// <summary>One <c>admin_actions.&lt;id&gt;</c> entry: an operator-triggered command.</summary>
/// <param name="Id">The map key (exact, case-sensitive; unique case-insensitively).</param>
/// <param name="Label">Display label (default: the id).</param>
/// <param name="Command">argv, non-empty.</param>
public sealed record AdminAction(string Id, string Label, ValueList<string> Command);
