using ProcessMaster.Core.Logs;
using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

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

