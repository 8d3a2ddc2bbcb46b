namespace ProcessMaster.Core.Config;

/// <summary>The outcome of parsing one file: the value when valid, and every error found.</summary>
/// <typeparam name="T">The validated model type.</typeparam>
public sealed class ConfigResult<T>
    where T : class
{
    /// <summary>A result; <paramref name="value"/> is dropped when there are errors, and errors are sorted by position.</summary>
    public ConfigResult(T? value, IEnumerable<ConfigError> errors)
    {
        Errors = [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
        Value = Errors.Count == 0 ? value : null;
    }

    /// <summary>The validated value; null when <see cref="IsValid"/> is false.</summary>
    public T? Value { get; }

    /// <summary>Every problem, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>True when there are no errors.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Value))]
    public bool IsValid => Errors.Count == 0 && Value is not null;

    /// <summary>Every error on its own line, as <c>--check</c> prints them.</summary>
    public override string ToString() => IsValid ? "valid" : string.Join(Environment.NewLine, Errors);
}
