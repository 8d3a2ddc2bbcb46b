namespace ProcessMaster.Core.Lifecycle;

/// <summary>How the main process ended: an exit code or a terminating signal.</summary>
/// <param name="Code">The exit code, or null if killed by a signal.</param>
/// <param name="Signal">The signal number, or null if it exited.</param>
public readonly record struct ExitStatus(int? Code, int? Signal)
{
    /// <summary>Exited with <paramref name="code"/>.</summary>
    public static ExitStatus Exited(int code) => new(code, null);

    /// <summary>Killed by <paramref name="signal"/>.</summary>
    public static ExitStatus Killed(int signal) => new(null, signal);

    /// <summary>Exited with code 0.</summary>
    public bool IsSuccess => Code == 0;

    /// <inheritdoc/>
    public override string ToString() => Code is { } c ? $"exited with code {c}" : $"killed by signal {Signal}";
}
