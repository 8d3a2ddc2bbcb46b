namespace ProcessMaster.Core.Logs;

/// <summary>
/// How one captured stream is rotated, independent of how the configuration spells it.
/// <see cref="SizeBytes"/> and <see cref="Backups"/> apply in <see cref="LogRotationMode.Size"/> mode;
/// <see cref="Frequency"/> and <see cref="MaxAge"/> in <see cref="LogRotationMode.Time"/> mode.
/// </summary>
/// <param name="Mode">Size or time rotation.</param>
/// <param name="SizeBytes">Size mode: rotate once the file holds this many bytes; 0 never rotates.</param>
/// <param name="Backups">Size mode: numbered backups kept (<c>.1</c> newest); 0 discards the data at rotation.</param>
/// <param name="Frequency">Time mode: the period one file covers.</param>
/// <param name="MaxAge">Time mode: rotated files whose last write is older are deleted; <see cref="TimeSpan.Zero"/> keeps them forever.</param>
/// <param name="Compress">Gzip rotated files (off the capture path).</param>
public sealed record LogRotationSettings(
    LogRotationMode Mode, long SizeBytes, int Backups, RotationFrequency Frequency, TimeSpan MaxAge, bool Compress)
{
    /// <summary>The original's defaults: size mode, 10,000,000 bytes, 10 backups, compressed.</summary>
    public static LogRotationSettings Default { get; } = BySize(10_000_000, 10, compress: true);

    /// <summary>Size rotation.</summary>
    public static LogRotationSettings BySize(long sizeBytes, int backups, bool compress)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(backups);
        return new(LogRotationMode.Size, sizeBytes, backups, RotationFrequency.None, TimeSpan.Zero, compress);
    }

    /// <summary>Time rotation.</summary>
    public static LogRotationSettings ByTime(RotationFrequency frequency, TimeSpan maxAge, bool compress)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);
        return new(LogRotationMode.Time, 0, 0, frequency, maxAge, compress);
    }
}
