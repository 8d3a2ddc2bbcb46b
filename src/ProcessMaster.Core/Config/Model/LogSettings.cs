using ProcessMaster.Core.Config.Values;

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

/// <summary>How captured logs are rotated.</summary>
public abstract record LogRotation
{
    private protected LogRotation()
    {
    }

    /// <summary>The default rotation: by size, 10m (10,000,000 bytes), 10 backups.</summary>
    public static LogRotation Default { get; } = new BySize(new ByteSize(10_000_000), 10);

    /// <summary>Rotate when the file reaches <paramref name="Size"/>, keeping <paramref name="Backups"/> files.</summary>
    public sealed record BySize(ByteSize Size, int Backups) : LogRotation;

    /// <summary>Rotate every <paramref name="Frequency"/>, deleting files older than <paramref name="MaxAge"/>.</summary>
    public sealed record ByTime(RotationFrequency Frequency, Duration MaxAge) : LogRotation;
}

/// <summary><c>logs.rotation_frequency</c>.</summary>
public enum RotationFrequency
{
    /// <summary>Every minute.</summary>
    Minutely,

    /// <summary>Every hour.</summary>
    Hourly,

    /// <summary>Every day (default).</summary>
    Daily,

    /// <summary>Every week.</summary>
    Weekly,

    /// <summary>Every month.</summary>
    Monthly,

    /// <summary>Never rotate by time (only age pruning).</summary>
    None,
}
