namespace ProcessMaster.Core.Flags;

/// <summary>What setting one system flag does to the others.</summary>
/// <param name="Clears">Flags removed when this flag is set (unless set in the same chain: set wins).</param>
/// <param name="ClearsAll">The rule lists <c>*</c>: every flag not fresh in the current chain is removed.</param>
/// <param name="AlsoSets">Flags set as well (without expiry), whose own rules are then applied.</param>
public sealed record FlagRule(IReadOnlyList<SystemFlag> Clears, bool ClearsAll, IReadOnlyList<SystemFlag> AlsoSets)
{
    /// <summary>A rule with no effect.</summary>
    public static FlagRule None { get; } = new([], false, []);
}
