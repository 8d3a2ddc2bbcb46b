using System.Text.Json;

namespace ProcessMaster.Core.Flags;

/// <summary>
/// The rules that say what setting a system flag does to the others (<c>clears</c>, <c>also_sets</c>,
/// <c>*</c>). Immutable; loaded once at daemon start. Parsing is reflection-free (source-generated).
/// </summary>
public sealed partial class FlagRuleSet
{
    /// <summary>Logical name of the embedded default rules resource.</summary>
    public const string EmbeddedResourceName = "flag_rules.default.json";

    private const string ClearAllToken = "*";

    private readonly FlagRule?[] _rules;

    private FlagRuleSet(FlagRule?[] rules) => _rules = rules;

    /// <summary>The embedded default rules; <see cref="Fallback"/> if they cannot be parsed.</summary>
    public static FlagRuleSet Embedded => EmbeddedLoad.Value.Rules;

    /// <summary>
    /// The minimal built-in set used only when the embedded JSON is unusable: <c>user_start</c> clears
    /// <c>user_stop</c> and <c>ot_killed</c>; <c>user_stop</c> clears <c>user_start</c>; <c>failed</c> clears
    /// <c>backoff</c>; <c>system_start</c> clears <c>failed</c>, <c>backoff</c>, <c>ot_killed</c>.
    /// </summary>
    public static FlagRuleSet Fallback { get; } = FromRules(new Dictionary<SystemFlag, FlagRule>
    {
        [SystemFlag.UserStart] = new([SystemFlag.UserStop, SystemFlag.OtKilled], false, []),
        [SystemFlag.UserStop] = new([SystemFlag.UserStart], false, []),
        [SystemFlag.Failed] = new([SystemFlag.Backoff], false, []),
        [SystemFlag.SystemStart] = new([SystemFlag.Failed, SystemFlag.Backoff, SystemFlag.OtKilled], false, []),
    });

    /// <summary>An empty rule set: every flag is set without side effects.</summary>
    public static FlagRuleSet NoRules { get; } = FromRules(new Dictionary<SystemFlag, FlagRule>());

    private static readonly Lazy<FlagRuleLoad> EmbeddedLoad = new(LoadEmbedded);

    /// <summary>Number of flags that have a rule.</summary>
    public int Count => _rules.Count(r => r is not null);

    /// <summary>The rule for <paramref name="flag"/>, or null if it has none.</summary>
    public FlagRule? RuleFor(SystemFlag flag) => _rules[(int)flag];

    /// <summary>Builds a rule set from already-typed rules.</summary>
    public static FlagRuleSet FromRules(IReadOnlyDictionary<SystemFlag, FlagRule> rules)
    {
        var array = new FlagRule?[SystemFlags.All.Count];
        foreach (var (flag, rule) in rules) array[(int)flag] = rule;
        return new FlagRuleSet(array);
    }

    /// <summary>
    /// Chooses the rules in force: the override document when given and valid (it replaces the embedded
    /// rules entirely), else the embedded rules. The caller reads the file; pass null when it is absent.
    /// </summary>
    /// <param name="overrideJson">Text of <c>{config_directory}/flag_rules.json</c>, or null if there is none.</param>
    /// <param name="overrideName">How to name the override in messages (its path).</param>
    public static FlagRuleLoad Load(string? overrideJson, string overrideName = "flag_rules.json")
    {
        var embedded = EmbeddedLoad.Value;
        if (overrideJson is null) return embedded;
        var parsed = Parse(overrideJson, overrideName);
        return parsed.Rules is { } rules
            ? new FlagRuleLoad(rules, FlagRuleSource.Override, null, parsed.Diagnostics)
            : embedded with { Reason = $"{parsed.Error}; using the built-in flag rules instead", Diagnostics = parsed.Diagnostics };
    }

    /// <summary>
    /// Parses a rules document: an object of flag name → <c>{"clears": [...], "also_sets": [...]}</c>, both
    /// lists optional, extra keys ignored. Names are trimmed and case-sensitive; unknown names are ignored
    /// with a diagnostic; <c>*</c> in <c>clears</c> means "clear every flag not fresh in this chain".
    /// </summary>
    /// <param name="json">The document text.</param>
    /// <param name="sourceName">How to name the document in messages.</param>
    public static FlagRuleParse Parse(string json, string sourceName)
    {
        Dictionary<string, FlagRuleDocument?>? document;
        try
        {
            document = JsonSerializer.Deserialize(json, FlagRuleJsonContext.Default.DictionaryStringFlagRuleDocument);
        }
        catch (JsonException e)
        {
            return new FlagRuleParse(null, $"{sourceName}: invalid JSON: {e.Message}", []);
        }
        if (document is null)
        {
            return new FlagRuleParse(null, $"{sourceName}: expected an object of flag name -> rule, got null", []);
        }

        var diagnostics = new List<string>();
        var rules = new Dictionary<SystemFlag, FlagRule>();
        foreach (var (rawName, rule) in document)
        {
            var name = rawName.Trim();
            if (!SystemFlags.TryParse(name, out var flag))
            {
                diagnostics.Add($"{sourceName}: rule \"{name}\" ignored: unknown flag (known: {string.Join(", ", SystemFlags.All.Select(f => f.Name()))})");
                continue;
            }
            if (rules.ContainsKey(flag))
            {
                diagnostics.Add($"{sourceName}: rule \"{name}\" appears twice; the later one is used");
            }
            var clears = Names(rule?.Clears, sourceName, name, "clears", allowClearAll: true, diagnostics, out bool clearsAll);
            var alsoSets = Names(rule?.AlsoSets, sourceName, name, "also_sets", allowClearAll: false, diagnostics, out _);
            rules[flag] = new FlagRule(clears, clearsAll, alsoSets);
        }
        return new FlagRuleParse(FromRules(rules), null, diagnostics);
    }

    private static List<SystemFlag> Names(
        List<string?>? raw, string sourceName, string parent, string field, bool allowClearAll, List<string> diagnostics, out bool clearAll)
    {
        clearAll = false;
        var flags = new List<SystemFlag>();
        foreach (var entry in raw ?? [])
        {
            var name = entry?.Trim() ?? "";
            if (allowClearAll && name == ClearAllToken)
            {
                clearAll = true;
            }
            else if (SystemFlags.TryParse(name, out var flag))
            {
                if (!flags.Contains(flag)) flags.Add(flag);
            }
            else
            {
                diagnostics.Add($"{sourceName}: rule \"{parent}\": {field} entry \"{name}\" ignored: unknown flag");
            }
        }
        return flags;
    }

    private static FlagRuleLoad LoadEmbedded()
    {
        using var stream = typeof(FlagRuleSet).Assembly.GetManifestResourceStream(EmbeddedResourceName);
        if (stream is null)
        {
            return new FlagRuleLoad(Fallback, FlagRuleSource.Fallback, $"resource {EmbeddedResourceName} missing from the build", []);
        }
        using var reader = new StreamReader(stream);
        var parsed = Parse(reader.ReadToEnd(), EmbeddedResourceName);
        return parsed.Rules is { } rules
            ? new FlagRuleLoad(rules, FlagRuleSource.Embedded, null, parsed.Diagnostics)
            : new FlagRuleLoad(Fallback, FlagRuleSource.Fallback, parsed.Error, parsed.Diagnostics);
    }
}
