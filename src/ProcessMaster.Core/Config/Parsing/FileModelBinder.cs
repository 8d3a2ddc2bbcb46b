using System.Collections;
using System.Globalization;

namespace ProcessMaster.Core.Config.Parsing;

/// <summary>
/// Fills the file-model DTOs from a <see cref="ConfigNode"/> tree, strictly, reporting every problem.
/// <para>
/// Design: YamlDotNet's <c>StaticDeserializer</c> is AOT-clean but stops at the first error and drops
/// positions, so it cannot report all problems of a file with line:column. Instead we drive the
/// same generated static context (its object factory and property accessors — no reflection) from a
/// position-carrying node tree. One walk checks types, finds unknown and duplicate keys (with a
/// "did you mean"), records key path → node in the <see cref="NodeIndex"/>, and binds whatever is
/// well-formed, so validation can still check the rest of the file.
/// </para>
/// </summary>
internal static class FileModelBinder
{
    /// <summary>Binds the root; null (with an error) when the root is not a mapping, since nothing else can be checked then.</summary>
    public static T? Bind<T>(ConfigNode root, ObjectShape shape, ConfigDiagnostics d)
        where T : class
    {
        d.Index.Add("", null, root);
        if (root is not ConfigMapping)
        {
            d.Report(root.Start, "", $"the top level must be a mapping of keys, found {root.Describe}",
                "start with keys such as " + string.Join(", ", shape.Fields.Take(3).Select(f => f.Key + ":")));
            return null;
        }

        return (T)(BindNode(root, shape, "", d) ?? Create(shape.Type));
    }

    private static object? BindNode(ConfigNode node, Shape shape, string path, ConfigDiagnostics d)
    {
        if (node is ConfigScalar { IsNull: true })
        {
            return null;
        }

        switch (shape)
        {
            case TextShape when node is ConfigScalar s:
                return s.Value;

            case BoolShape when node is ConfigScalar s:
                if (s.AsBool is bool b)
                {
                    return b;
                }

                d.Report(s.Start, path, $"expected true or false, found {s.Describe}", "write true or false (yes/no/on/off are not booleans)");
                return null;

            case WholeNumberShape when node is ConfigScalar s:
                return BindWholeNumber(s, path, d);

            case ListShape list when node is ConfigSequence seq:
                return BindList(seq, list, path, d);

            case DictionaryShape dict when node is ConfigMapping map:
                return BindDictionary(map, dict, path, d);

            case ObjectShape obj when node is ConfigMapping map:
                return BindObject(map, obj, path, d);

            default:
                d.Report(node.Start, path, $"expected {shape.Expected}, found {node.Describe}", FixFor(shape));
                return null;
        }
    }

    private static object? BindWholeNumber(ConfigScalar s, string path, ConfigDiagnostics d)
    {
        string v = s.Value.Trim();
        if (s.IsPlain && v.Length > 0 && v.All(char.IsAsciiDigit))
        {
            if (ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n))
            {
                return n;
            }

            d.Report(s.Start, path, $"number {v} is too large", "use a smaller value");
            return null;
        }

        string hint = v.StartsWith('-') ? "must not be negative" : "write digits only, without a unit or quotes (e.g. 5000)";
        d.Report(s.Start, path, $"expected a whole number, found {s.Describe}", hint);
        return null;
    }

    private static object BindList(ConfigSequence seq, ListShape shape, string path, ConfigDiagnostics d)
    {
        var list = (IList)Create(shape.ListType);
        for (int i = 0; i < seq.Items.Count; i++)
        {
            string itemPath = NodeIndex.Item(path, i);
            ConfigNode item = seq.Items[i];
            d.Index.Add(itemPath, null, item);
            if (item is ConfigScalar { IsNull: true })
            {
                d.Report(item.Start, itemPath, $"list item is null; expected {shape.Item.Expected}", "remove the empty item or give it a value");
                continue;
            }

            if (BindNode(item, shape.Item, itemPath, d) is { } value)
            {
                list.Add(value);
            }
        }

        return list;
    }

    private static object BindDictionary(ConfigMapping map, DictionaryShape shape, string path, ConfigDiagnostics d)
    {
        var dict = (IDictionary)Create(shape.DictionaryType);
        var seen = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach ((ConfigNode keyNode, ConfigNode valueNode) in map.Pairs)
        {
            if (!TryKey(keyNode, path, d, out string key) || !CheckDuplicate(seen, keyNode, key, path, d))
            {
                continue;
            }

            string childPath = NodeIndex.Child(path, key);
            d.Index.Add(childPath, keyNode, valueNode);
            if (BindNode(valueNode, shape.Value, childPath, d) is { } value)
            {
                dict[key] = value;
            }
            else if (valueNode is ConfigScalar { IsNull: true })
            {
                d.Report(keyNode.Start, childPath, $"\"{key}\" has no value; expected {shape.Value.Expected}", "add its settings or remove the entry");
            }
        }

        return dict;
    }

    private static object BindObject(ConfigMapping map, ObjectShape shape, string path, ConfigDiagnostics d)
    {
        object target = Create(shape.Type);
        var seen = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach ((ConfigNode keyNode, ConfigNode valueNode) in map.Pairs)
        {
            if (!TryKey(keyNode, path, d, out string key) || !CheckDuplicate(seen, keyNode, key, path, d))
            {
                continue;
            }

            string childPath = NodeIndex.Child(path, key);
            SchemaField? field = shape.Find(key);
            if (field is null)
            {
                ReportUnknown(keyNode, key, path, shape, d);
                continue;
            }

            d.Index.Add(childPath, keyNode, valueNode);
            if (BindNode(valueNode, field.Shape, childPath, d) is { } value)
            {
                field.Property.Write(target, value);
            }
        }

        return target;
    }

    private static bool TryKey(ConfigNode keyNode, string path, ConfigDiagnostics d, out string key)
    {
        if (keyNode is ConfigScalar s && !s.IsNull)
        {
            key = s.Value;
            return true;
        }

        key = "";
        d.Report(keyNode.Start, path, $"keys must be plain strings, found {keyNode.Describe}", "write the key as a simple word");
        return false;
    }

    /// <summary>
    /// An unknown key, with a "did you mean" for the first few of a file (<see cref="ConfigLimits.MaxSuggestions"/>):
    /// a file of 90 000 unknown keys must not cost 90 000 distance computations, nor messages nobody sees.
    /// </summary>
    private static void ReportUnknown(ConfigNode keyNode, string key, string path, ObjectShape shape, ConfigDiagnostics d)
    {
        string childPath = NodeIndex.Child(path, Shorten(key));
        if (d.IsFull)
        {
            d.Report(keyNode.Start, childPath, "", ""); // counted only
            return;
        }

        string valid = string.Join(", ", shape.Fields.Select(f => f.Key));
        string? near = d.UnknownKeys++ < ConfigLimits.MaxSuggestions ? KeySuggestion.Closest(key, shape.Fields.Select(f => f.Key)) : null;
        d.Report(keyNode.Start, childPath, $"unknown key \"{Shorten(key)}\"",
            near is null ? $"valid keys here: {valid}" : $"did you mean \"{near}\"? (valid keys here: {valid})");
    }

    /// <summary>
    /// False (with a problem) when <paramref name="key"/> is already in <paramref name="seen"/>, the keys of this
    /// mapping so far; a hash lookup, so a mapping of n keys costs O(n), not O(n²).
    /// </summary>
    private static bool CheckDuplicate(Dictionary<string, ConfigNode> seen, ConfigNode keyNode, string key, string path, ConfigDiagnostics d)
    {
        if (seen.TryAdd(key, keyNode))
        {
            return true;
        }

        d.Report(keyNode.Start, NodeIndex.Child(path, Shorten(key)), $"duplicate key \"{Shorten(key)}\" (first at line {seen[key].Start.Line})",
            "keep one of them; YAML keys must be unique within a mapping");
        return false;
    }

    /// <summary>A key as shown in a message: a 60 KB key is not repeated in full.</summary>
    private static string Shorten(string key) => key.Length <= 80 ? key : key[..80] + $"… ({key.Length} characters)";

    private static string FixFor(Shape shape) => shape switch
    {
        ListShape { Item: TextShape } => "write a list, e.g. [\"./run.sh\", \"--flag\"] or one \"- item\" per line",
        ListShape => "write a list of mappings, one \"- key: value\" block per item",
        TextShape => "write a single value (quote it if it contains special characters)",
        BoolShape => "write true or false",
        WholeNumberShape => "write digits only, e.g. 5000",
        _ => "write nested \"key: value\" lines indented under this key",
    };

    private static object Create(Type type) => YamlSchema.Context.GetFactory().Create(type);
}
