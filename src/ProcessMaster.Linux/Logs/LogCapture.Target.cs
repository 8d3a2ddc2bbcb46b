using System.Globalization;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>Opening the log file safely, and the problem states (discarding, paused) with their events.</summary>
public sealed partial class LogCapture
{
    private bool _pausedStreak;
    private long _lastSummaryAt;
    private int _failedRetries;
    private ulong _fileInode;
    private string? _lastRefusal;

    /// <summary>
    /// Walks from the working directory to the log file without following a symlink, creating missing
    /// directories (<see cref="LogCaptureOptions.DirectoryMode"/>) and the file (<see cref="LogCaptureOptions.FileMode"/>).
    /// </summary>
    private void OpenTarget(bool resuming)
    {
        AssertOwner();
        CloseTarget();
        ConfinedDirectory? directory = null;
        try
        {
            using (ConfinedDirectory root = ConfinedDirectory.Open(_options.WorkingDirectory))
                directory = _loop.Directories.Share(root.OpenDescendant(_options.Path.Directories, create: true, _options.DirectoryMode, _options.DirectoryOwner));
            SafeFdHandle file = directory.OpenWritableFile(_options.Path.FileName, _options.FileMode);
            Adopt(directory, file);
            directory = null;
            if (!resuming) TidyLeftovers();
        }
        catch (UnsafePathException ex)
        {
            Refuse(ex.Message);
        }
        catch (IOException ex)
        {
            Pause(KindOf(ex), $"{_options.Subject}: cannot open log file {FilePath}: {ex.Message}");
        }
        finally
        {
            if (directory is not null) _loop.Directories.Release(directory);
        }
    }

    /// <summary>Takes over an open log file: appends at its end, and finds the time bucket its data belongs to.</summary>
    private void Adopt(ConfinedDirectory directory, SafeFdHandle file)
    {
        long size = Libc.Lseek(file, 0, Libc.SEEK_END);
        if (size < 0) throw LinuxException.FromLastError("lseek", FilePath);
        EntryStatus status = ConfinedDirectory.StatOf(file, FilePath);
        lock (_gate)
        {
            _directory = directory;
            _file = file;
        }
        _size = size;
        _fileInode = status.Inode;
        _overrun = 0;
        StartBucket(size > 0 ? status.LastWrite : _options.Time.GetUtcNow());
        CaptureState previous = _state;
        _state = CaptureState.Writing;
        if (previous == CaptureState.Discarding)
        {
            _report(new LogCaptureEvent(LogCaptureEventKind.Resumed, string.Create(CultureInfo.InvariantCulture,
                $"{_options.Subject}: capture to {FilePath} resumed after {Seconds(_options.Time.GetElapsedTime(_problemSince))}; {BytesDiscarded - _discardedAtProblem} bytes were discarded meanwhile")));
        }
    }

    private void StartBucket(DateTimeOffset dataTime)
    {
        LogRotationSettings rotation = _options.Rotation;
        if (rotation.Mode != LogRotationMode.Time || rotation.Frequency == RotationFrequency.None)
        {
            _nextBoundary = null;
            return;
        }
        _fileBucket = TimeRotation.BucketStart(dataTime, rotation.Frequency, _options.Zone)!.Value;
        _nextBoundary = TimeRotation.NextBoundary(dataTime, rotation.Frequency, _options.Zone);
    }

    private void CloseTarget()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
            if (_directory is not null) _loop.Directories.Release(_directory);
            _directory = null;
        }
    }

    /// <summary>The path is unsafe: drain and discard (counted) so the service is never blocked by it; retry later.</summary>
    private void Refuse(string why)
    {
        CloseTarget();
        bool first = _state != CaptureState.Discarding || why != _lastRefusal;
        if (_state == CaptureState.Writing) Enter(CaptureState.Discarding);
        else _state = CaptureState.Discarding;
        _retryAt = RetryDeadline();
        _lastRefusal = why;
        if (first)
            _report(new LogCaptureEvent(LogCaptureEventKind.Refused,
                $"{_options.Subject}: log file refused: {why}; nothing is written through it: output is drained and discarded (counted) until the path is safe again, retrying every {Seconds(_options.RetryInterval)}"));
    }

    /// <summary>
    /// Writing failed: keep everything in the pipe (the service blocks once it is full) and retry later. Reported once
    /// per streak of failures (N-21), then as a summary every <see cref="LogCaptureOptions.ProblemSummaryInterval"/>,
    /// and once more when writing works again (<see cref="ReportResumedIfPending"/>).
    /// </summary>
    private void Pause(LogCaptureEventKind kind, string what)
    {
        _retryAt = RetryDeadline();
        if (!_pausedStreak)
        {
            if (_state == CaptureState.Writing) Enter(CaptureState.Paused);
            else _state = CaptureState.Paused;
            _pausedStreak = true;
            _failedRetries = 0;
            _lastSummaryAt = Now();
            _report(new LogCaptureEvent(kind, string.Create(CultureInfo.InvariantCulture,
                $"{what}; capture paused, nothing is discarded: the service blocks once its {_fifo.PipeBytes}-byte pipe is full; retrying every {Seconds(_options.RetryInterval)}")));
            return;
        }
        _state = CaptureState.Paused;
        _failedRetries++;
        if (_options.Time.GetElapsedTime(_lastSummaryAt) < _options.ProblemSummaryInterval) return;
        _lastSummaryAt = Now();
        _report(new LogCaptureEvent(LogCaptureEventKind.StillPaused, string.Create(CultureInfo.InvariantCulture,
            $"{what}; capture still paused after {Seconds(_options.Time.GetElapsedTime(_problemSince))} ({_failedRetries} retries failed), nothing is discarded; retrying every {Seconds(_options.RetryInterval)}")));
    }

    private void Enter(CaptureState state)
    {
        _state = state;
        _problemSince = Now();
        _discardedAtProblem = BytesDiscarded;
    }

    /// <summary>Leaves the paused state on a retry: the next successful transfer reports the resumption.</summary>
    private void RetryWriting() => _state = CaptureState.Writing;

    private void ReportResumedIfPending()
    {
        if (!_pausedStreak) return;
        _pausedStreak = false;
        _report(new LogCaptureEvent(LogCaptureEventKind.Resumed,
            $"{_options.Subject}: capture to {FilePath} resumed after {Seconds(_options.Time.GetElapsedTime(_problemSince))}; nothing was lost"));
    }

    private static LogCaptureEventKind KindOf(Errno errno) =>
        errno is Errno.ENOSPC or Errno.EDQUOT ? LogCaptureEventKind.DiskFull : LogCaptureEventKind.IoError;

    /// <summary>The kind of a failed open: a <see cref="LinuxException"/> carries its errno, and so does the HResult of the runtime's own I/O errors.</summary>
    private static LogCaptureEventKind KindOf(IOException ex) => KindOf(ex is LinuxException linux ? linux.Errno : (Errno)ex.HResult);
}
