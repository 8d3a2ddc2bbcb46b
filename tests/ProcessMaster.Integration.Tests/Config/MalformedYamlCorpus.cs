using System.Diagnostics;
using System.Text;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Config;

/// <summary>
/// Definition files an attacker or a broken editor could leave in <c>config.d</c> (security audit N-03, N-04, N-15,
/// §C "YAML"). The small ones live in <c>Config/MalformedYaml/</c>, each with its expected problem on its first line
/// (<c># expect: TEXT</c>); the large ones (deep nesting, alias bombs, 93k keys, …) and the entries that are not
/// files (a FIFO, a directory) are made here at test time, so no megabytes are committed.
/// </summary>
internal static class MalformedYamlCorpus
{
    /// <summary>One corpus entry: its file name in <c>config.d</c>, the text its problem must contain, and how to make it.</summary>
    public sealed record Entry(string Name, string Expected, Action<string> Create)
    {
        public override string ToString() => Name;
    }

    private const string Head = "process:\n  working_directory: /tmp\n";

    public static string CommittedDirectory => Repository.PathOf("tests/ProcessMaster.Integration.Tests/Config/MalformedYaml");

    /// <summary>Every entry, committed files first.</summary>
    public static IReadOnlyList<Entry> All { get; } = [.. Committed(), .. Generated()];

    /// <summary>Names, for a theory.</summary>
    public static TheoryData<string> Names() => [.. All.Select(e => e.Name)];

    public static Entry Named(string name) => All.Single(e => e.Name == name);

    /// <summary>Creates every entry in <paramref name="configDirectory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> CreateAll(string configDirectory)
    {
        var paths = new List<string>();
        foreach (Entry entry in All)
        {
            string path = Path.Combine(configDirectory, entry.Name);
            entry.Create(path);
            paths.Add(path);
        }
        return paths;
    }

    private static IEnumerable<Entry> Committed()
    {
        foreach (string file in Directory.EnumerateFiles(CommittedDirectory, "*.yaml").Order(StringComparer.Ordinal))
        {
            byte[] bytes = File.ReadAllBytes(file);
            string first = Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Max(0, Array.IndexOf(bytes, (byte)'\n')))).TrimStart('\uFEFF');
            const string marker = "# expect: ";
            if (!first.StartsWith(marker, StringComparison.Ordinal))
                throw new InvalidDataException($"{file}: the first line must be \"{marker}TEXT\"");
            yield return new Entry(Path.GetFileName(file), first[marker.Length..], path => File.WriteAllBytes(path, bytes));
        }
    }

    private static IEnumerable<Entry> Generated()
    {
        const string nested = "lists and mappings are nested more than 64 levels deep";
        yield return Text("deep-flow-20000.yaml", nested, Head + "  start_command: " + new string('[', 20_000) + new string(']', 20_000) + "\n");
        yield return Text("deep-flow-100000.yaml", nested, Head + "  start_command: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        yield return Text("deep-flow-unclosed.yaml", nested, Head + "  start_command: " + new string('[', 500_000) + "\n");
        yield return Text("deep-flow-mappings.yaml", nested, Head + "  start_command: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "\n");
        yield return Text("deep-block-indentation.yaml", nested, string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i) + "k" + i + ":\n")));
        yield return Text("deep-block-sequence.yaml", nested, Head + "  start_command:\n    " + string.Concat(Enumerable.Repeat("- ", 100_000)) + "x\n");

        const string expands = "the document expands to more than 4194304 characters (aliases included)";
        yield return Text("alias-flat.yaml", expands,
            Head + "  environment: [{name: BIG, value: &s \"" + new string('A', 200_000) + "\"}]\n"
            + "  start_command: [\"/bin/true\"" + string.Concat(Enumerable.Repeat(", *s", 5000)) + "]\n");
        yield return Text("alias-flat-small-values.yaml", expands,
            Head + "  start_command: [&s \"" + new string('A', 60_000) + "\"" + string.Concat(Enumerable.Repeat(", *s", 100)) + "]\n");
        var laughs = new StringBuilder("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (int i = 1; i < 10; i++) laughs.Append($"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
        yield return Text("alias-billion-laughs.yaml", expands, laughs.ToString());

        yield return Text("huge-scalar.yaml", "a single value of 300000 characters is over the limit of 65536",
            Head + "  start_command: [\"/bin/true\", \"" + new string('x', 300_000) + "\"]\n");
        yield return Text("huge-plain-key.yaml", "a key without '?' is at most 1024 characters in YAML", Head + new string('k', 200_000) + ": 1\n");
        yield return Text("huge-explicit-key.yaml", "a single value of 200000 characters is over the limit of 65536",
            Head + "? " + new string('k', 200_000) + "\n: 1\n");
        yield return Text("argv-over-limit.yaml", "over the limit of 131072 bytes",
            Head + "  start_command: [" + string.Join(", ", Enumerable.Repeat("\"" + new string('a', 60_000) + "\"", 3)) + "]\n");
        yield return Text("environment-over-limit.yaml", "the environment is over the limit of 131072 bytes",
            Head + "  environment:\n" + string.Concat(Enumerable.Range(0, 3).Select(i => $"    - {{name: V{i}, value: \"{new string('v', 60_000)}\"}}\n")));

        var keys = new StringBuilder();
        for (int i = 0; keys.Length < (1 << 20) - 12; i++) keys.Append('k').Append(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Append(": 1\n");
        yield return Text("keys-93k.yaml", "more problems (only the first 100 are shown)", keys.ToString());
        yield return Text("over-one-mebibyte.yaml", "bytes is over the 1048576-byte limit", "# " + new string('x', 1 << 20) + "\n");

        yield return new Entry("binary-garbage.yaml", "is not valid UTF-8", path =>
        {
            var bytes = new byte[64 * 1024];
            new Random(20_240_601).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
        });
        yield return new Entry("fifo.yaml", "is not a regular file (a FIFO, socket or device); not loaded", MakeFifo);
        yield return new Entry("directory.yaml", "is a directory; not loaded", path => Directory.CreateDirectory(path));
    }

    private static Entry Text(string name, string expected, string text) => new(name, expected, path => File.WriteAllText(path, text));

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]) ?? throw new InvalidOperationException("cannot run mkfifo");
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} failed with {mkfifo.ExitCode}");
    }
}
