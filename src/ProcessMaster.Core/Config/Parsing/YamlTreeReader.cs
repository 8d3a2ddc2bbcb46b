using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ProcessMaster.Core.Config.Parsing;

/// <summary>
/// Turns YAML text into a <see cref="ConfigNode"/> tree using YamlDotNet's parser (event level).
/// We build our own small tree instead of YamlDotNet's representation model because that model throws
/// at the first duplicate key; here duplicates are kept and reported, with every other problem.
/// <para>
/// The reader is where hostile text is stopped (<see cref="ConfigLimits"/>). YamlDotNet's parser keeps its own
/// state on a heap stack, so only this reader recurses: its depth is counted on the event stream and a document
/// deeper than <see cref="ConfigLimits.MaxNestingDepth"/> is refused at the first event past it, before the
/// scanner reads further (YamlDotNet's simple-key bookkeeping grows with flow depth, so stopping early also keeps
/// the scan linear). Aliases stay shared nodes, and every node's expanded size is added to a running total, so
/// alias amplification is refused at the alias that crosses <see cref="ConfigLimits.MaxExpandedSize"/>.
/// </para>
/// </summary>
internal sealed class YamlTreeReader
{
    /// <summary>YAML's limit on a plain (implicit) key: 1024 characters.</summary>
    private const int MaxImplicitKeyLength = 1024;

    private readonly IParser _parser;
    private readonly ConfigDiagnostics _diagnostics;
    private readonly Dictionary<string, (ConfigNode Node, long Size)> _anchors = new(StringComparer.Ordinal);
    private long _expanded;

    private YamlTreeReader(IParser parser, ConfigDiagnostics diagnostics)
    {
        _parser = parser;
        _diagnostics = diagnostics;
    }

    /// <summary>Reads the single document of <paramref name="text"/>; null with an error on failure.</summary>
    public static ConfigNode? Read(string text, ConfigDiagnostics diagnostics)
    {
        text = ConfigText.WithoutByteOrderMark(text);
        var parser = new Parser(new StringReader(text));
        var reader = new YamlTreeReader(parser, diagnostics);
        try
        {
            return reader.ReadStream();
        }
        catch (LimitExceededException e)
        {
            diagnostics.Report(e.At, "", e.Message, e.Fix);
            return null;
        }
        catch (YamlException e)
        {
            string message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            Mark at = message.Contains("tab", StringComparison.Ordinal) ? FirstTabIndent(text) ?? e.Start : e.Start;
            string fix = at.Line != e.Start.Line ? "indent with spaces, never tabs"
                : message.Contains("key", StringComparison.Ordinal) && LineLength(text, e.Start) > MaxImplicitKeyLength
                    ? $"a key without '?' is at most {MaxImplicitKeyLength} characters in YAML; shorten the key"
                    : "fix the YAML syntax at this position";
            diagnostics.Report(at, "", $"invalid YAML: {message.TrimEnd('.')}", fix);
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

    private ConfigNode? ReadStream()
    {
        _parser.Consume<StreamStart>();
        ConfigNode? first = null;
        int count = 0;
        Mark second = default;
        while (!_parser.TryConsume<StreamEnd>(out _))
        {
            Mark start = _parser.Consume<DocumentStart>().Start;
            if (++count == 2)
            {
                second = start;
            }

            // Every document counts towards the limits, so a stream of many documents is as bounded as one.
            ConfigNode node = ReadNode(depth: 0).Node;
            first ??= node;
            _parser.Consume<DocumentEnd>();
        }

        if (count == 0)
        {
            _diagnostics.Report(new Mark(0, 1, 1), "", "file is empty", "write a YAML mapping of settings (see examples/)");
            return null;
        }

        if (count > 1)
        {
            _diagnostics.Report(second, "", $"file contains {count} YAML documents", "keep a single document (remove the extra '---' separators)");
            return null;
        }

        return first;
    }

    /// <summary>A node and its expanded size (scalar characters plus one per node, aliases counted in full).</summary>
    private (ConfigNode Node, long Size) ReadNode(int depth)
    {
        ParsingEvent ev = _parser.Consume<ParsingEvent>();
        long before = _expanded;
        switch (ev)
        {
            case AnchorAlias alias:
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
                }

                Grow(target.Size, alias.Start);
                return target;

            case Scalar s:
                if (s.Value.Length > ConfigLimits.MaxScalarLength)
                {
                    _diagnostics.Report(s.Start, "", $"a single value of {s.Value.Length} characters is over the limit of {ConfigLimits.MaxScalarLength}",
                        "shorten it; large data belongs in a file the service reads (or @file:// for an environment value)");
                }

                Grow(s.Value.Length + 1, s.Start);
                return Remember(s.Anchor, new ConfigScalar(s.Start, s.End, s.Value, s.Style, s.Tag.IsEmpty ? "" : s.Tag.Value), before);

            case SequenceStart ss:
            {
                Enter(depth, ss.Start);
                var items = new List<ConfigNode>();
                SequenceEnd end;
                while (!_parser.TryConsume(out end!))
                {
                    items.Add(ReadNode(depth + 1).Node);
                }

                return Remember(ss.Anchor, new ConfigSequence(ss.Start, end.End, items), before);
            }

            case MappingStart ms:
            {
                Enter(depth, ms.Start);
                var pairs = new List<KeyValuePair<ConfigNode, ConfigNode>>();
                MappingEnd end;
                while (!_parser.TryConsume(out end!))
                {
                    ConfigNode key = ReadNode(depth + 1).Node;
                    ConfigNode value = ReadNode(depth + 1).Node;
                    pairs.Add(new(key, value));
                }

                return Remember(ms.Anchor, new ConfigMapping(ms.Start, end.End, ms.Style == MappingStyle.Flow, pairs), before);
            }

            default:
                throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
        }
    }

    /// <summary>A list or mapping opens one level deeper than <paramref name="depth"/>.</summary>
    private void Enter(int depth, Mark at)
    {
        if (depth >= ConfigLimits.MaxNestingDepth)
        {
            throw new LimitExceededException(at, $"lists and mappings are nested more than {ConfigLimits.MaxNestingDepth} levels deep; the file is not read further",
                "a definition needs a few levels; remove the extra [ { or indentation");
        }

        Grow(1, at);
    }

    private void Grow(long size, Mark at)
    {
        _expanded += size;
        if (_expanded > ConfigLimits.MaxExpandedSize)
        {
            throw new LimitExceededException(at, $"the document expands to more than {ConfigLimits.MaxExpandedSize} characters (aliases included); the file is not read further",
                "write values out instead of repeating large anchors with *aliases, and keep the file small");
        }
    }

    private (ConfigNode Node, long Size) Remember(AnchorName anchor, ConfigNode node, long before)
    {
        var entry = (node, _expanded - before);
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = entry;
        }

        return entry;
    }

    /// <summary>The length of the line <paramref name="at"/> is on.</summary>
    private static int LineLength(string text, Mark at)
    {
        int start = (int)Math.Clamp(at.Index, 0, text.Length);
        start = text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
        int end = text.IndexOf('\n', start);
        return (end < 0 ? text.Length : end) - start;
    }

    /// <summary>YamlDotNet places "tab as indentation" at the enclosing mapping; find the offending line.</summary>
    private static Mark? FirstTabIndent(string text)
    {
        int line = 1;
        for (int start = 0; start < text.Length; line++)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            ReadOnlySpan<char> content = text.AsSpan(start, end - start);
            int tab = content.IndexOf('\t');
            if (tab >= 0 && content[..tab].IsWhiteSpace())
            {
                return new Mark(0, line, tab + 1);
            }

            start = end + 1;
        }

        return null;
    }

    /// <summary>A <see cref="ConfigLimits"/> bound was crossed: the rest of the text is not read.</summary>
    private sealed class LimitExceededException(Mark at, string message, string fix) : Exception(message)
    {
        public Mark At { get; } = at;

        public string Fix { get; } = fix;
    }
}
