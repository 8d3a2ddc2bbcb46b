namespace ProcessMaster.Core.Config;

/// <summary>
/// One problem in a config file, placed exactly, with the fix when there is one.
/// <see cref="ToString"/> is <c>FILE:LINE:COL: KEYPATH: PROBLEM; FIX</c> (STYLE §8); the key path part
/// is left out for whole-file problems and the fix part when there is no fix.
/// </summary>
/// <param name="File">The file as given to the parser.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="KeyPath">Dotted key path, list items as <c>[i]</c> (<c>process.environment[2].name</c>); empty for the whole file.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Fix">How to fix it; may be empty.</param>
public sealed record ConfigError(string File, int Line, int Column, string KeyPath, string Problem, string Fix)
{
    /// <inheritdoc/>
    public override string ToString() =>
        (Line > 0 ? $"{File}:{Line}:{Column}: " : $"{File}: ") + (KeyPath.Length > 0 ? KeyPath + ": " : "") + Problem + (Fix.Length > 0 ? "; " + Fix : "");
}
