using ProcessMaster.Core.Config.Parsing;
using YamlDotNet.RepresentationModel;

namespace ProcessMaster.Core.Config;

/// <summary>
/// Sets <c>global.enabled</c> in a service definition's text (for <c>pmctl enable/disable</c>).
/// The usual layouts are edited in place so comments, order and formatting survive: an existing
/// <c>enabled:</c> value is replaced; a block <c>global:</c> mapping without it gets an
/// <c>enabled:</c> line; a flow mapping gets the key inserted; a file without <c>global:</c> gets
/// <c>global: { enabled: … }</c>-equivalent block lines appended. Anything unusual (a null
/// <c>global:</c>, anchors) falls back to re-serialising the document, which loses comments.
/// Every result is re-read to check that it says what was asked.
/// </summary>
public static class EnableSwitch
{
    /// <summary>Returns <paramref name="yamlText"/> with <c>global.enabled</c> set to <paramref name="enabled"/>.</summary>
    /// <exception cref="FormatException">The text is not YAML or its top level is not a mapping.</exception>
    public static string Rewrite(string yamlText, bool enabled)
    {
        string value = enabled ? "true" : "false";
        yamlText = ConfigText.WithoutByteOrderMark(yamlText); // positions below index the text without it
        ConfigMapping root = ReadRoot(yamlText);
        string? edited = EditInPlace(yamlText, root, value);
        if (edited is not null && ReadsAs(edited, enabled))
        {
            return edited;
        }

        return Reserialize(yamlText, value);
    }

    private static string? EditInPlace(string text, ConfigMapping root, string value)
    {
        if (root.IsFlow)
        {
            return null;
        }

        ConfigNode? global = root.Get("global");
        if (global is null)
        {
            string sep = text.Length == 0 || text.EndsWith('\n') ? "" : "\n";
            return text + sep + "global:\n  enabled: " + value + "\n";
        }

        if (global is not ConfigMapping map)
        {
            return null;
        }

        if (map.Get("enabled") is ConfigScalar current)
        {
            return text[..(int)current.Start.Index] + value + text[(int)current.End.Index..];
        }

        if (map.IsFlow)
        {
            int open = (int)map.Start.Index;
            return map.Pairs.Count == 0
                ? text[..open] + "{ enabled: " + value + " }" + text[(int)map.End.Index..]
                : text[..(open + 1)] + " enabled: " + value + "," + text[(open + 1)..];
        }

        ConfigNode firstKey = map.Pairs[0].Key;
        int lineStart = text.LastIndexOf('\n', Math.Max(0, (int)firstKey.Start.Index - 1)) + 1;
        string indent = new(' ', (int)firstKey.Start.Column - 1);
        return text[..lineStart] + indent + "enabled: " + value + "\n" + text[lineStart..];
    }

    private static ConfigMapping ReadRoot(string text)
    {
        var d = new ConfigDiagnostics("(text)");
        ConfigNode? root = YamlTreeReader.Read(text, d);
        if (text.Trim().Length == 0)
        {
            return new ConfigMapping(default, default, false, []);
        }

        if (root is ConfigMapping map)
        {
            return map;
        }

        throw new FormatException(d.HasErrors ? d.Errors[0].ToString() : "the definition is not a YAML mapping; cannot set global.enabled");
    }

    private static bool ReadsAs(string text, bool enabled)
    {
        var d = new ConfigDiagnostics("(text)");
        return YamlTreeReader.Read(text, d) is ConfigMapping root && !d.HasErrors
            && root.Get("global") is ConfigMapping g && g.Get("enabled") is ConfigScalar s && s.AsBool == enabled;
    }

    private static string Reserialize(string text, string value)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = stream.Documents.Count > 0 ? (YamlMappingNode)stream.Documents[0].RootNode : new YamlMappingNode();
        if (stream.Documents.Count == 0)
        {
            stream.Add(new YamlDocument(root));
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("global"), out YamlNode? g) || g is not YamlMappingNode global)
        {
            global = new YamlMappingNode();
            root.Children[new YamlScalarNode("global")] = global;
        }

        global.Children[new YamlScalarNode("enabled")] = new YamlScalarNode(value);
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        string result = writer.ToString();
        return result.EndsWith("...\n", StringComparison.Ordinal) ? result[..^4] : result;
    }
}
