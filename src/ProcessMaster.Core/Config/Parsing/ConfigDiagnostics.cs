using YamlDotNet.Core;

namespace ProcessMaster.Core.Config.Parsing;

/// <summary>
/// Collects every <see cref="ConfigError"/> of one file (never stops at the first, STYLE §4). Past
/// <see cref="ConfigLimits.MaxProblemsPerFile"/> problems are only counted: a file with 90 000 bad keys costs a
/// counter, not 90 000 messages (<see cref="IsFull"/> lets callers skip building text nobody will see).
/// </summary>
internal sealed class ConfigDiagnostics(string file)
{
    private readonly List<ConfigError> _errors = [];

    public string File { get; } = file;

    public NodeIndex Index { get; } = new();

    /// <summary>The problems kept (at most <see cref="ConfigLimits.MaxProblemsPerFile"/>).</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>Problems found after the cap, reported as a count.</summary>
    public int Omitted { get; private set; }

    public bool HasErrors => _errors.Count > 0;

    /// <summary>Unknown keys reported so far; only the first few get a "did you mean".</summary>
    public int UnknownKeys { get; set; }

    /// <summary>True once no further problem is kept.</summary>
    public bool IsFull => _errors.Count >= ConfigLimits.MaxProblemsPerFile;

    public void Report(Mark mark, string keyPath, string problem, string fix)
    {
        if (IsFull)
        {
            Omitted++;
            return;
        }

        _errors.Add(new ConfigError(File, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), keyPath, problem, fix));
    }

    /// <summary>A problem with the value at <paramref name="keyPath"/> (or the nearest present ancestor).</summary>
    public void At(string keyPath, string problem, string fix = "") => Report(Index.PositionOf(keyPath), keyPath, problem, fix);

    /// <summary>A problem best shown at the key itself (unknown, duplicate, conflicting keys).</summary>
    public void AtKey(string keyPath, string problem, string fix = "") => Report(Index.PositionOf(keyPath, preferKey: true), keyPath, problem, fix);

    /// <summary>The outcome: <paramref name="value"/> with every problem kept, and the count of the rest.</summary>
    public ConfigResult<T> Result<T>(T? value)
        where T : class => new(value, _errors, Omitted);
}
