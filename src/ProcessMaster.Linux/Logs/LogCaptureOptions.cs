using ProcessMaster.Core.Logs;

namespace ProcessMaster.Linux.Logs;

/// <summary>Where and how one stream is captured.</summary>
/// <param name="Subject">Names the stream in messages, e.g. <c>service "web" stdout</c>.</param>
/// <param name="WorkingDirectory">The service's working directory (operator-owned; its own last component must not be a symlink).</param>
/// <param name="Path">The log file relative to it; every component is walked without following symlinks.</param>
/// <param name="Rotation">Rotation settings.</param>
public sealed record LogCaptureOptions(string Subject, string WorkingDirectory, LogRelativePath Path, LogRotationSettings Rotation)
{
    /// <summary>Zone for time-mode buckets and names (the host's local zone by default).</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Clock for time rotation and retry deadlines.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Mode of log files and backups: 0640 (captured output may hold secrets).</summary>
    public uint FileMode { get; init; } = Files.UnixMode.Mode0640;

    /// <summary>Mode of directories the capture creates: 0755.</summary>
    public uint DirectoryMode { get; init; } = Files.UnixMode.Mode0755;

    /// <summary>
    /// Owner given to directories the capture creates (the service's user and group, so the service can write its own
    /// files next to the captured ones); null leaves them to the daemon. Existing directories keep their owner.
    /// </summary>
    public (uint Uid, uint Gid)? DirectoryOwner { get; init; }

    /// <summary>How often a refused path or a failed write (disk full, EIO) is retried.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>While a failed write keeps failing, how often a summary event is reported (the first failure is reported at once).</summary>
    public TimeSpan ProblemSummaryInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How far past a due rotation an unfinished line may grow before the file is cut mid-line.</summary>
    public long MaxLineOverrun { get; init; } = 1 << 20;
}
