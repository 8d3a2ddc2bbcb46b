namespace ProcessMaster.Core.Config;

/// <summary>The outcome of parsing one file: the value when valid, and every error found.</summary>
/// <typeparam name="T">The validated model type.</typeparam>
public sealed class ConfigResult<T>
    where T : class
{
    /// <summary>
    /// A result; <paramref name="value"/> is dropped when there are errors, and errors are sorted by position.
    /// <paramref name="omitted"/> problems past the per-file cap are summed up in one last error.
    /// </summary>
    public ConfigResult(T? value, IEnumerable<ConfigError> errors, int omitted = 0)
    {
        List<ConfigError> sorted = [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
        if (omitted > 0 && sorted.Count > 0)
        {
            sorted.Add(new ConfigError(sorted[0].File, 0, 0, "",
                $"… and {omitted} more problem{(omitted == 1 ? "" : "s")} (only the first {sorted.Count} are shown)",
                "fix the ones above and check again"));
        }

        Errors = sorted;
        Value = Errors.Count == 0 ? value : null;
        Partial = value;
    }

    /// <summary>The validated value; null when <see cref="IsValid"/> is false.</summary>
    public T? Value { get; }

    /// <summary>
    /// The value as far as it was built, even when there are errors (defaults stand in for bad values); null when
    /// the file could not be read as a mapping at all. Only for reporting more problems (<c>--check</c> checks the
    /// definitions of a master configuration that has problems elsewhere); never run with it.
    /// </summary>
    public T? Partial { get; }

    /// <summary>Every problem, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>True when there are no errors.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Value))]
    public bool IsValid => Errors.Count == 0 && Value is not null;

    /// <summary>Every error on its own line, as <c>--check</c> prints them.</summary>
    public override string ToString() => IsValid ? "valid" : string.Join(Environment.NewLine, Errors);
}
