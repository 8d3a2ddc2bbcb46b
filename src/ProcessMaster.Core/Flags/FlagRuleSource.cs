namespace ProcessMaster.Core.Flags;

/// <summary>Where the rule set in force came from.</summary>
public enum FlagRuleSource
{
    /// <summary>The rules embedded in the binary (<c>flag_rules.default.json</c>).</summary>
    Embedded,
    /// <summary>The operator's override file, which replaces the embedded rules entirely.</summary>
    Override,
    /// <summary>A tiny built-in set, used only if the embedded JSON failed to parse (a build defect).</summary>
    Fallback,
}

/// <summary>The result of choosing the rule set at daemon start.</summary>
/// <param name="Rules">The rules in force.</param>
/// <param name="Source">Where they came from.</param>
/// <param name="Reason">Why an override was not used (invalid JSON), or null.</param>
/// <param name="Diagnostics">One operator-readable line per ignored rule or entry (unknown flag names).</param>
public sealed record FlagRuleLoad(FlagRuleSet Rules, FlagRuleSource Source, string? Reason, IReadOnlyList<string> Diagnostics);

/// <summary>The result of parsing a rules document.</summary>
/// <param name="Rules">The parsed rules, or null when the document is not valid JSON of the expected shape.</param>
/// <param name="Error">Why the document was rejected, or null.</param>
/// <param name="Diagnostics">One line per ignored rule or entry.</param>
public sealed record FlagRuleParse(FlagRuleSet? Rules, string? Error, IReadOnlyList<string> Diagnostics);
