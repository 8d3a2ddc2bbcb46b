using System.Text.Json.Serialization;

namespace ProcessMaster.Core.Flags;

/// <summary>File model of one rule in <c>flag_rules*.json</c>; extra keys are ignored.</summary>
internal sealed class FlagRuleDocument
{
    [JsonPropertyName("clears")]
    public List<string?>? Clears { get; set; }

    [JsonPropertyName("also_sets")]
    public List<string?>? AlsoSets { get; set; }
}

/// <summary>Source-generated (reflection-free) JSON metadata for the rules file.</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(Dictionary<string, FlagRuleDocument?>))]
internal sealed partial class FlagRuleJsonContext : JsonSerializerContext;
