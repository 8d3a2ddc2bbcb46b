using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// "Compress every rotated, uncompressed file of one stream": idempotent, so queueing it twice is harmless.
/// The job owns <paramref name="Directory"/> (a handle of its own) and disposes it when done.
/// </summary>
/// <param name="Directory">The log directory.</param>
/// <param name="Subject">Names the stream in messages.</param>
/// <param name="FileMode">Mode of the .gz files.</param>
/// <param name="Gate">Taken to open a candidate and to swap in its .gz, so renames by a rotation never race.</param>
/// <param name="IsCandidate">True for a rotated, uncompressed file of the stream.</param>
/// <param name="Locate">Where the file with an inode is now (names shift); null when it was pruned.</param>
/// <param name="Report">Receives failures.</param>
internal sealed record CompressionJob(
    ConfinedDirectory Directory, string Subject, uint FileMode, object Gate,
    Func<string, bool> IsCandidate, Func<ConfinedDirectory, string, ulong, string?> Locate, Action<LogCaptureEvent> Report)
{
    /// <summary>Temporary files are <c>.NAME.gz.tmp</c>: hidden, and never taken for a backup.</summary>
    internal const string TemporarySuffix = ".gz.tmp";
}
