
namespace ProcessMaster.Core.Config.Model;

/// <summary><c>logs.*</c>; relative paths are resolved against the working directory.</summary>
/// <param name="Stdout">Captured stdout (default <c>logs/stdout.log</c>).</param>
/// <param name="Stderr">Captured stderr (default <c>logs/stderr.log</c>).</param>
/// <param name="Rotation">Size- or time-based rotation (default: size, 10m, 10 backups).</param>
/// <param name="Compression">gzip rotated files (default true).</param>
/// <param name="StopCommandStdout">stop_command stdout; null = discarded (explicit <c>null</c>).</param>
/// <param name="StopCommandStderr">stop_command stderr; null = discarded.</param>
/// <param name="Hints">Extra app-written log files, all inside the working directory.</param>
public sealed record LogSettings(
    string Stdout,
    string Stderr,
    LogRotation Rotation,
    bool Compression,
    string? StopCommandStdout,
    string? StopCommandStderr,
    ValueList<string> Hints);
