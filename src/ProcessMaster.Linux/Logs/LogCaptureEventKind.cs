namespace ProcessMaster.Linux.Logs;

/// <summary>What happened to a capture, for events an operator sees.</summary>
public enum LogCaptureEventKind
{
    /// <summary>The log path was refused (symlink, not a regular file, hard link); output is drained and discarded (counted).</summary>
    Refused,

    /// <summary>The disk (or quota) is full; capture paused, nothing discarded; the service blocks once the pipe is full.</summary>
    DiskFull,

    /// <summary>Another I/O error while opening or writing; capture paused and retried.</summary>
    IoError,

    /// <summary>A paused capture is still failing: a periodic summary of the streak (its first failure was reported once).</summary>
    StillPaused,

    /// <summary>Capture writes to the log file again after a problem.</summary>
    Resumed,

    /// <summary>The live file was replaced behind the daemon's back (renamed, deleted, swapped for a symlink).</summary>
    Replaced,

    /// <summary>A line longer than the overrun limit was split by a rotation.</summary>
    LineSplit,

    /// <summary>Rotation, pruning or compression failed; capture itself continues.</summary>
    MaintenanceFailed,
}
