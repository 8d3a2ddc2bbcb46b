using YamlDotNet.Core;

namespace ProcessMaster.Core.Config.Parsing;

/// <summary>A YAML node with its start position (1-based line and column).</summary>
internal abstract class ConfigNode(Mark start, Mark end)
{
    public Mark Start { get; } = start;

    /// <summary>Just after the node (its <see cref="Mark.Index"/> is a character offset into the text).</summary>
    public Mark End { get; } = end;

    public abstract string Describe { get; }
}

/// <summary>A scalar with its style, so "0660" (quoted) and 0660 (plain) can be told apart.</summary>
internal sealed class ConfigScalar(Mark start, Mark end, string value, ScalarStyle style, string tag) : ConfigNode(start, end)
{
    private const string NullTag = "tag:yaml.org,2002:null";

    public string Value { get; } = value;

    public bool IsPlain { get; } = style == ScalarStyle.Plain && tag.Length == 0;

    /// <summary>YAML 1.2 core null: empty, ~, null (plain), or an explicit !!null tag.</summary>
    public bool IsNull => tag is NullTag or "!!null" || (IsPlain && Value is "" or "~" or "null" or "Null" or "NULL");

    /// <summary>YAML 1.2 core boolean spellings (plain only); yes/no/on/off are strings.</summary>
    public bool? AsBool => IsPlain ? Value switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    } : null;

    public override string Describe => IsNull ? "null" : AsBool is not null ? $"the boolean {Value}"
        : Value.Length <= 80 ? $"\"{Value}\"" : $"\"{Value[..80]}…\" ({Value.Length} characters)";
}

internal sealed class ConfigSequence(Mark start, Mark end, IReadOnlyList<ConfigNode> items) : ConfigNode(start, end)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override string Describe => "a list";
}

internal sealed class ConfigMapping(Mark start, Mark end, bool isFlow, IReadOnlyList<KeyValuePair<ConfigNode, ConfigNode>> pairs) : ConfigNode(start, end)
{
    public bool IsFlow { get; } = isFlow;

    public ConfigNode? Get(string key) => Pairs.FirstOrDefault(p => p.Key is ConfigScalar s && s.Value == key).Value;

    public IReadOnlyList<KeyValuePair<ConfigNode, ConfigNode>> Pairs { get; } = pairs;

    public override string Describe => "a mapping";
}
