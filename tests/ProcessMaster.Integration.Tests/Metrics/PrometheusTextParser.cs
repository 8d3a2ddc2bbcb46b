using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ProcessMaster.Integration.Tests.Metrics;

/// <summary>One sample: its full name (with <c>_bucket</c>/<c>_sum</c>/<c>_count</c>), labels and value.</summary>
internal sealed record PromSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>One metric family: <c># TYPE</c>, <c># HELP</c> and its samples, in order.</summary>
internal sealed record PromFamily(string Name, string Type, string Help, List<PromSample> Samples);

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, refusing what Prometheus would refuse or flag:
/// bad metric or label names, bad escapes, bad numbers, a sample before its family's TYPE, a family declared twice or
/// interleaved with another, a sample whose name does not belong to its family (counters end in <c>_total</c>;
/// histograms have only <c>_bucket</c> with <c>le</c>, <c>_sum</c>, <c>_count</c>), duplicate series, histogram buckets
/// that are not cumulative or whose <c>+Inf</c> differs from <c>_count</c>, and a text not ending in a newline.
/// </summary>
internal static partial class PrometheusTextParser
{
    public static IReadOnlyDictionary<string, PromFamily> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n')) throw Bad(0, "the text does not end with a newline");
        var families = new Dictionary<string, PromFamily>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        PromFamily? current = null;
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length - 1; n++)
        {
            string line = lines[n];
            int no = n + 1;
            if (line.Length == 0) throw Bad(no, "empty line");
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                string[] parts = line[7..].Split(' ', 2);
                if (!MetricName().IsMatch(parts[0])) throw Bad(no, $"bad metric name in HELP: {parts[0]}");
                if (!help.TryAdd(parts[0], parts.Length > 1 ? parts[1] : "")) throw Bad(no, $"second HELP for {parts[0]}");
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line[7..].Split(' ');
                if (parts.Length != 2 || !MetricName().IsMatch(parts[0])) throw Bad(no, $"bad TYPE line: {line}");
                if (parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped")) throw Bad(no, $"unknown type {parts[1]}");
                if (families.ContainsKey(parts[0])) throw Bad(no, $"second TYPE for {parts[0]}");
                if (parts[1] == "counter" && !parts[0].EndsWith("_total", StringComparison.Ordinal)) throw Bad(no, $"counter {parts[0]} does not end in _total");
                current = new PromFamily(parts[0], parts[1], help.GetValueOrDefault(parts[0], ""), []);
                families.Add(parts[0], current);
                continue;
            }
            if (line.StartsWith('#')) continue; // a comment
            PromSample sample = ParseSample(line, no);
            if (current is null || !Belongs(current, sample)) throw Bad(no, $"sample {sample.Name} outside its family's block (current: {current?.Name ?? "none"})");
            string key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!series.Add(key)) throw Bad(no, $"duplicate series {key}");
            current.Samples.Add(sample);
        }
        foreach (PromFamily family in families.Values)
        {
            if (family.Help.Length == 0) throw Bad(0, $"family {family.Name} has no HELP");
            if (family.Type == "histogram") CheckHistogram(family);
        }
        return families;
    }

    private static bool Belongs(PromFamily family, PromSample sample) => family.Type switch
    {
        "histogram" => sample.Name == family.Name + "_sum" || sample.Name == family.Name + "_count"
                       || (sample.Name == family.Name + "_bucket" && sample.Labels.ContainsKey("le")),
        _ => sample.Name == family.Name,
    };

    private static void CheckHistogram(PromFamily family)
    {
        foreach (IGrouping<string, PromSample> group in family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))))
        {
            List<PromSample> buckets = [.. group.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).OrderBy(s => ParseValue(s.Labels["le"], 0))];
            if (buckets.Count == 0 || buckets[^1].Labels["le"] != "+Inf") throw Bad(0, $"{family.Name}{{{group.Key}}} has no +Inf bucket");
            for (int i = 1; i < buckets.Count; i++)
                if (buckets[i].Value < buckets[i - 1].Value) throw Bad(0, $"{family.Name}{{{group.Key}}} buckets are not cumulative");
            PromSample count = group.SingleOrDefault(s => s.Name.EndsWith("_count", StringComparison.Ordinal)) ?? throw Bad(0, $"{family.Name}{{{group.Key}}} has no _count");
            if (group.All(s => !s.Name.EndsWith("_sum", StringComparison.Ordinal))) throw Bad(0, $"{family.Name}{{{group.Key}}} has no _sum");
            if (count.Value != buckets[^1].Value) throw Bad(0, $"{family.Name}{{{group.Key}}}: +Inf bucket {buckets[^1].Value} != count {count.Value}");
        }
    }

    private static PromSample ParseSample(string line, int no)
    {
        int i = 0;
        while (i < line.Length && line[i] is not ('{' or ' ')) i++;
        string name = line[..i];
        if (!MetricName().IsMatch(name)) throw Bad(no, $"bad metric name {name}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int eq = line.IndexOf('=', i);
                if (eq < 0) throw Bad(no, "label without =");
                string label = line[i..eq];
                if (!LabelName().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal)) throw Bad(no, $"bad label name {label}");
                if (line[eq + 1] != '"') throw Bad(no, $"label {label} value not quoted");
                var value = new StringBuilder();
                i = eq + 2;
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        value.Append(line[i + 1] switch { '\\' => '\\', '"' => '"', 'n' => '\n', _ => throw Bad(no, $"bad escape \\{line[i + 1]}") });
                        i += 2;
                    }
                    else value.Append(line[i++]);
                }
                if (!labels.TryAdd(label, value.ToString())) throw Bad(no, $"label {label} twice");
                i++;
                if (line[i] == ',') i++;
                else if (line[i] != '}') throw Bad(no, "expected , or } after a label");
            }
            i++;
        }
        if (i >= line.Length || line[i] != ' ') throw Bad(no, "expected a space before the value");
        string[] rest = line[(i + 1)..].Split(' ');
        if (rest.Length > 2) throw Bad(no, "trailing text after value and timestamp");
        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) throw Bad(no, $"bad timestamp {rest[1]}");
        return new PromSample(name, labels, ParseValue(rest[0], no));
    }

    private static double ParseValue(string text, int no) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when Number().IsMatch(text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw Bad(no, $"bad value {text}"),
    };

    private static FormatException Bad(int line, string what) => new($"prometheus text, line {line}: {what}");

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex Number();
}
