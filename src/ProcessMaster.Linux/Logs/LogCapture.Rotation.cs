using System.Globalization;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// Rotation: rename the live file (size mode: shift <c>.1</c> … <c>.N</c>; time mode: stamp it with its
/// bucket), open a fresh one, hand the rotated file to the compressor, prune. Runs on a worker of the loop's pool
/// while the stream waits. The renames run under <see cref="_gate"/>, which the compressor takes only to look up
/// and swap its result, so capture never waits for gzip.
/// </summary>
public sealed partial class LogCapture
{
    private void Rotate()
    {
        AssertOwner();
        if (_size == 0 || _directory is null)
        {
            StartBucket(_options.Time.GetUtcNow());
            return;
        }
        ConfinedDirectory directory = _directory;
        string baseName = _options.Path.FileName;
        LogRotationSettings rotation = _options.Rotation;
        try
        {
            lock (_gate)
            {
                EntryStatus? live = directory.Stat(baseName);
                bool sameFile = live is { Kind: EntryKind.File } s && s.Inode == _fileInode;
                if (!sameFile)
                    _report(new LogCaptureEvent(LogCaptureEventKind.Replaced,
                        $"{_options.Subject}: {FilePath} was replaced while the daemon wrote to it (now {(live is null ? "missing" : live.Value.Kind.ToString().ToLowerInvariant())}); the replaced entry is left alone and a new file is started"));
                if (rotation.Mode == LogRotationMode.Size) ShiftBackups(directory, baseName, rotation.Backups, sameFile);
                else if (sameFile) directory.Rename(baseName, FreeStampedName(directory, baseName));
                _file?.Dispose();
                _file = null;
            }
        }
        catch (IOException ex)
        {
            _rotationBlockedUntil = RetryDeadline();
            _report(new LogCaptureEvent(LogCaptureEventKind.MaintenanceFailed,
                $"{_options.Subject}: rotation of {FilePath} failed: {ex.Message}; writing continues into the current file, next attempt in {Seconds(_options.RetryInterval)}"));
            return;
        }
        _rotationBlockedUntil = 0;
        Interlocked.Increment(ref _rotations);
        try
        {
            Adopt(directory, directory.OpenWritableFile(baseName, _options.FileMode));
        }
        catch (UnsafePathException ex)
        {
            Refuse(ex.Message);
        }
        catch (IOException ex)
        {
            Pause(KindOf(ex), $"{_options.Subject}: cannot open log file {FilePath} after rotation: {ex.Message}");
        }
        StartBucket(_options.Time.GetUtcNow());
        ScheduleCompression();
        Prune();
    }

    private static void ShiftBackups(ConfinedDirectory directory, string baseName, int backups, bool sameFile)
    {
        BackupShift plan = SizeRotation.Plan(baseName, backups);
        foreach (string name in plan.Deletes)
            if (name != baseName || sameFile) directory.Delete(name);
        foreach ((string from, string to) in plan.Renames)
            if (from != baseName || sameFile) directory.TryRename(from, to);
    }

    /// <summary>The stamped name for the bucket the file holds, with -2, -3 … when taken (a repeated hour).</summary>
    private string FreeStampedName(ConfinedDirectory directory, string baseName)
    {
        for (int attempt = 1; ; attempt++)
        {
            string name = TimeRotation.RotatedName(baseName, _fileBucket, _options.Zone, attempt);
            if (directory.Stat(name) is null && directory.Stat(name + ".gz") is null) return name;
        }
    }

    /// <summary>True for a rotated file of this stream that is not compressed yet.</summary>
    private bool IsUncompressedBackup(string name)
    {
        string baseName = _options.Path.FileName;
        LogRotationSettings rotation = _options.Rotation;
        if (rotation.Mode == LogRotationMode.Size)
            return SizeRotation.TryParseBackupIndex(name, baseName, out int index, out bool compressed) && !compressed && index <= rotation.Backups;
        return TimeRotation.IsRotatedName(name, baseName) && !name.EndsWith(".gz", StringComparison.Ordinal);
    }

    /// <summary>Where the rotated file with <paramref name="inode"/> is now (size-mode names shift); null when pruned. Called under the gate.</summary>
    private string? Locate(ConfinedDirectory directory, string originalName, ulong inode)
    {
        if (directory.Stat(originalName) is { Kind: EntryKind.File } s && s.Inode == inode) return originalName;
        if (_options.Rotation.Mode != LogRotationMode.Size) return null;
        for (int i = 1; i <= _options.Rotation.Backups; i++)
        {
            string name = SizeRotation.Numbered(_options.Path.FileName, i);
            if (directory.Stat(name) is { Kind: EntryKind.File } t && t.Inode == inode) return name;
        }
        return null;
    }

    /// <summary>
    /// Compresses what rotation left uncompressed, on the pool. At most one compression job per stream: while one is
    /// queued or running, a new request only makes it run one more pass (two jobs at once would both compress the same
    /// backup under the same temporary name, and one would rename the other's half-written file into place).
    /// </summary>
    private void ScheduleCompression()
    {
        if (!_options.Rotation.Compress || _directory is null) return;
        lock (_compression)
        {
            if (_compression.Queued)
            {
                _compression.Again = true;
                return;
            }
            _compression.Queued = true;
        }
        _loop.Workers.Queue(LogCompressor.Work(new CompressionJob(_directory.Reopen(), _options.Subject, _options.FileMode, _gate,
            IsUncompressedBackup, Locate, _report), _compression.TakeAgain, _compression.Reset), urgent: false);
    }

    /// <summary>Whether this stream's compression job is queued or running, and whether it must run another pass.</summary>
    private sealed class CompressionState
    {
        public bool Queued { get; set; }

        public bool Again { get; set; }

        /// <summary>Called by the job after a pass: true (and cleared) when another pass was asked for; otherwise the job ends.</summary>
        public bool TakeAgain()
        {
            lock (this)
            {
                if (Again)
                {
                    Again = false;
                    return true;
                }
                Queued = false;
                return false;
            }
        }

        /// <summary>The job was dropped before it ran.</summary>
        public void Reset()
        {
            lock (this)
            {
                Queued = false;
                Again = false;
            }
        }
    }

    /// <summary>First open: remove half-written .gz temporaries an earlier daemon left, compress what it did not, prune.</summary>
    private void TidyLeftovers()
    {
        if (_directory is null) return;
        string prefix = "." + _options.Path.FileName + ".";
        try
        {
            foreach (string name in _directory.List())
                if (name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(CompressionJob.TemporarySuffix, StringComparison.Ordinal))
                    _directory.Delete(name);
        }
        catch (IOException ex)
        {
            _report(new LogCaptureEvent(LogCaptureEventKind.MaintenanceFailed, $"{_options.Subject}: tidying {_directory.Path} failed: {ex.Message}; capture continues"));
        }
        ScheduleCompression();
        Prune();
    }

    /// <summary>Size mode: backups numbered above the count (the count was lowered). Time mode: files past the maximum age.</summary>
    private void Prune()
    {
        if (_directory is null) return;
        string baseName = _options.Path.FileName;
        LogRotationSettings rotation = _options.Rotation;
        try
        {
            IReadOnlyList<string> names = _directory.List();
            IReadOnlyList<string> doomed;
            if (rotation.Mode == LogRotationMode.Size)
            {
                doomed = SizeRotation.SurplusBackups(names, baseName, rotation.Backups);
            }
            else
            {
                var entries = new List<LogFileEntry>();
                foreach (string name in names)
                    if (TimeRotation.IsRotatedName(name, baseName) && _directory.Stat(name) is { Kind: EntryKind.File } s)
                        entries.Add(new LogFileEntry(name, s.LastWrite));
                doomed = TimeRotation.Expired(entries, baseName, _options.Time.GetUtcNow(), rotation.MaxAge);
            }
            lock (_gate)
                foreach (string name in doomed) _directory.Delete(name);
        }
        catch (IOException ex)
        {
            _report(new LogCaptureEvent(LogCaptureEventKind.MaintenanceFailed, string.Create(CultureInfo.InvariantCulture,
                $"{_options.Subject}: pruning old logs in {_directory.Path} failed: {ex.Message}; they stay until the next rotation")));
        }
    }
}
