using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ProcessMaster.Core.Config.Parsing;

/// <summary>
/// Turns YAML text into a <see cref="ConfigNode"/> tree using YamlDotNet's parser (event level).
/// We build our own small tree instead of YamlDotNet's representation model because that model throws
/// at the first duplicate key; here duplicates are kept and reported, with every other problem.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Reads the single document of <paramref name="text"/>; null with an error on failure.</summary>
    public static ConfigNode? Read(string text, ConfigDiagnostics diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            var documents = new List<ConfigNode>();
            var starts = new List<Mark>();
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                starts.Add(parser.Consume<DocumentStart>().Start);
                documents.Add(ReadNode(parser, anchors, diagnostics));
                parser.Consume<DocumentEnd>();
            }

            if (documents.Count == 0)
            {
                diagnostics.Report(new Mark(0, 1, 1), "", "file is empty", "write a YAML mapping of settings (see examples/)");
                return null;
            }

            if (documents.Count > 1)
            {
                diagnostics.Report(starts[1], "", $"file contains {documents.Count} YAML documents", "keep a single document (remove the extra '---' separators)");
                return null;
            }

            return documents[0];
        }
        catch (YamlException e)
        {
            string message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            Mark at = message.Contains("tab", StringComparison.Ordinal) ? FirstTabIndent(text) ?? e.Start : e.Start;
            diagnostics.Report(at, "", $"invalid YAML: {message.TrimEnd('.')}",
                at.Line != e.Start.Line ? "indent with spaces, never tabs" : "fix the YAML syntax at this position");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on some malformed input
            // (e.g. an unclosed flow sequence followed by a key); the position is not known.
            diagnostics.Report(parser.Current?.Start ?? new Mark(0, 1, 1), "", "invalid YAML: the parser could not continue here",
                "check for an unclosed [ or { or quote on this line or above");
            return null;
        }
    }

    /// <summary>YamlDotNet places "tab as indentation" at the enclosing mapping; find the offending line.</summary>
    private static Mark? FirstTabIndent(string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && lines[i][..tab].Trim().Length == 0)
            {
                return new Mark(0, i + 1, tab + 1);
            }
        }

        return null;
    }

    private static ConfigNode ReadNode(IParser parser, Dictionary<string, ConfigNode> anchors, ConfigDiagnostics diagnostics)
    {
        ParsingEvent ev = parser.Consume<ParsingEvent>();
        switch (ev)
        {
            case AnchorAlias alias:
                if (anchors.TryGetValue(alias.Value.Value, out ConfigNode? target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");

            case Scalar s:
                return Remember(s.Anchor, new ConfigScalar(s.Start, s.End, s.Value, s.Style, s.Tag.IsEmpty ? "" : s.Tag.Value), anchors);

            case SequenceStart ss:
            {
                var items = new List<ConfigNode>();
                SequenceEnd end;
                while (!parser.TryConsume(out end!))
                {
                    items.Add(ReadNode(parser, anchors, diagnostics));
                }

                return Remember(ss.Anchor, new ConfigSequence(ss.Start, end.End, items), anchors);
            }

            case MappingStart ms:
            {
                var pairs = new List<KeyValuePair<ConfigNode, ConfigNode>>();
                MappingEnd end;
                while (!parser.TryConsume(out end!))
                {
                    ConfigNode key = ReadNode(parser, anchors, diagnostics);
                    ConfigNode value = ReadNode(parser, anchors, diagnostics);
                    pairs.Add(new(key, value));
                }

                return Remember(ms.Anchor, new ConfigMapping(ms.Start, end.End, ms.Style == MappingStyle.Flow, pairs), anchors);
            }

            default:
                throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
        }
    }

    private static ConfigNode Remember(AnchorName anchor, ConfigNode node, Dictionary<string, ConfigNode> anchors)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }
}
