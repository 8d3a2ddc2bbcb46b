namespace ProcessMaster.Core.Logs;

/// <summary>The local-time period one file covers in <see cref="LogRotationMode.Time"/> mode.</summary>
public enum RotationFrequency
{
    /// <summary>Never rotate by time.</summary>
    None,

    /// <summary>A new file every wall-clock minute.</summary>
    Minutely,

    /// <summary>A new file every wall-clock hour (a repeated hour at the end of DST is a separate hour).</summary>
    Hourly,

    /// <summary>A new file every local day, whatever its length (23, 24 or 25 hours).</summary>
    Daily,

    /// <summary>A new file every ISO week (Monday 00:00 local).</summary>
    Weekly,

    /// <summary>A new file every calendar month (the 1st, 00:00 local).</summary>
    Monthly,
}
