namespace ProcessMaster.Core.Flags;

/// <summary>The outcome of setting one system flag through the rules (for logging and events).</summary>
/// <param name="Flags">The flag set afterwards.</param>
/// <param name="Set">The flag that was set.</param>
/// <param name="Cleared">Flags removed by the rules, in the order removed.</param>
/// <param name="AlsoSet">Flags newly added through <c>also_sets</c>.</param>
/// <param name="Changed">Whether <see cref="Flags"/> differs from the set before.</param>
public sealed record FlagChange(
    FlagSet<SystemFlag> Flags, SystemFlag Set, IReadOnlyList<SystemFlag> Cleared, IReadOnlyList<SystemFlag> AlsoSet, bool Changed);
