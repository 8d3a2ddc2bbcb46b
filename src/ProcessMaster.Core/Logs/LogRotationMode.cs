namespace ProcessMaster.Core.Logs;

/// <summary>How a captured log file is rotated.</summary>
public enum LogRotationMode
{
    /// <summary>Rotate when the file reaches a size; keep numbered backups <c>.1</c> (newest) … <c>.N</c>.</summary>
    Size,

    /// <summary>Rotate when the local-time period changes; keep time-stamped files up to a maximum age.</summary>
    Time,
}
