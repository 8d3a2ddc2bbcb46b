namespace ProcessMaster.Linux.Logs;

/// <summary>The lines <see cref="LogTail"/> found, oldest first.</summary>
/// <param name="Lines">The lines, without their '\n'.</param>
/// <param name="Truncated">The byte cap was reached before enough lines were found (older lines exist).</param>
public sealed record LogTailResult(IReadOnlyList<string> Lines, bool Truncated);
