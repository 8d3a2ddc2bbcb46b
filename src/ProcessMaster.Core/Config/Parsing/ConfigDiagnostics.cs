using YamlDotNet.Core;

namespace ProcessMaster.Core.Config.Parsing;

/// <summary>Collects every <see cref="ConfigError"/> of one file (never stops at the first, STYLE §4).</summary>
internal sealed class ConfigDiagnostics(string file)
{
    private readonly List<ConfigError> _errors = [];

    public string File { get; } = file;

    public NodeIndex Index { get; } = new();

    public IReadOnlyList<ConfigError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Report(Mark mark, string keyPath, string problem, string fix) =>
        _errors.Add(new ConfigError(File, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), keyPath, problem, fix));

    /// <summary>A problem with the value at <paramref name="keyPath"/> (or the nearest present ancestor).</summary>
    public void At(string keyPath, string problem, string fix = "") => Report(Index.PositionOf(keyPath), keyPath, problem, fix);

    /// <summary>A problem best shown at the key itself (unknown, duplicate, conflicting keys).</summary>
    public void AtKey(string keyPath, string problem, string fix = "") => Report(Index.PositionOf(keyPath, preferKey: true), keyPath, problem, fix);
}
