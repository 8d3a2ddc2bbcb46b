using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// Moves one stream from its <see cref="LogFifo"/> into its log file with splice(2), rotating on a line
/// boundary. One dedicated thread per capture blocks in poll(2) on the FIFO and a wake-up eventfd.
/// <para>No loss: bytes leave the pipe only inside splice(), which puts them in the file (page cache) in the
/// same system call, so stopping the capture at any instant — <see cref="Dispose"/>, SIGKILL, a crash —
/// leaves every byte either in the file or still in the pipe for the next capture on the same FIFO. Nothing
/// is buffered in user space. The next capture appends at the file's end.</para>
/// <para>Problems never kill the service: a refused path (symlink, hard link, non-regular file) drains and
/// discards (counted); a full disk or an I/O error pauses capture (nothing discarded, the service blocks once
/// the pipe is full) and retries every <see cref="LogCaptureOptions.RetryInterval"/>.</para>
/// </summary>
public sealed partial class LogCapture : IDisposable
{
    private const int Chunk = 1 << 20;

    private readonly LogFifo _fifo;
    private readonly LogCaptureOptions _options;
    private readonly Action<LogCaptureEvent> _report;
    private readonly LogCompressor? _compressor;
    private readonly WakeSignal _wake = new();
    private readonly object _gate = new();
    private readonly Thread _thread;

    private ConfinedDirectory? _directory;
    private SafeFileHandle? _file;
    private long _size;
    private DateTimeOffset _fileBucket;
    private DateTimeOffset? _nextBoundary;
    private long _overrun;
    private CaptureState _state = CaptureState.Writing;
    private long _retryAt;
    private long _problemSince;
    private long _discardedAtProblem;
    private SafeFileHandle? _devNull;
    private (SafeFileHandle Read, SafeFileHandle Write)? _scratch;

    private long _bytesWritten;
    private long _bytesDiscarded;
    private long _rotations;

    private LogCapture(LogFifo fifo, LogCaptureOptions options, Action<LogCaptureEvent> report, LogCompressor? compressor)
    {
        _fifo = fifo;
        _options = options;
        _report = report;
        _compressor = compressor;
        _thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = $"log {options.Subject}" };
    }

    private enum CaptureState
    {
        Writing,
        Discarding,
        Paused,
    }

    /// <summary>Bytes moved into log files by this capture.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Bytes drained and thrown away while the log path was refused.</summary>
    public long BytesDiscarded => Interlocked.Read(ref _bytesDiscarded);

    /// <summary>Rotations done by this capture.</summary>
    public long Rotations => Interlocked.Read(ref _rotations);

    /// <summary>The live log file's path (for messages and viewers).</summary>
    public string FilePath => Path.Join(_options.WorkingDirectory, _options.Path.ToString());

    /// <summary>
    /// Starts capturing <paramref name="fifo"/> (which must outlive the capture). <paramref name="report"/> is
    /// called on the capture thread and must return quickly (post to a channel). Leftovers of an earlier daemon
    /// (uncompressed backups, half-written .gz temporaries) are handed to <paramref name="compressor"/> or removed.
    /// </summary>
    public static LogCapture Start(LogFifo fifo, LogCaptureOptions options, Action<LogCaptureEvent> report, LogCompressor? compressor = null)
    {
        var capture = new LogCapture(fifo, options, report, compressor);
        capture._thread.Start();
        return capture;
    }

    /// <summary>
    /// Stops the thread without draining the pipe (what is left stays there for the next capture) and closes
    /// the log file. Safe to call from any thread, once or more.
    /// </summary>
    public void Dispose()
    {
        _wake.Set();
        if (_thread.IsAlive && Thread.CurrentThread != _thread) _thread.Join();
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
            _directory?.Dispose();
            _directory = null;
        }
        _devNull?.Dispose();
        _scratch?.Read.Dispose();
        _scratch?.Write.Dispose();
        _wake.Dispose();
    }

    private void Run()
    {
        OpenTarget(resuming: false);
        while (true)
        {
            int timeout = _state is CaptureState.Writing ? WritingTimeout() : RetryTimeout();
            bool waitForFifo = _state is not CaptureState.Paused;
            if (_wake.Wait(waitForFifo ? _fifo.Handle : null, timeout, out bool readable)) return;
            try
            {
                if (_state is not CaptureState.Writing && Now() >= _retryAt)
                {
                    if (_state is CaptureState.Paused && _file is not null) RetryWriting();
                    else OpenTarget(resuming: true);
                }
                if (_state is CaptureState.Writing && !readable && TimeRotationDue() && AtLineEnd()) Rotate();
                if (!readable) continue;
                if (_state is CaptureState.Writing) Transfer();
                else if (_state is CaptureState.Discarding) Discard();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Pause(LogCaptureEventKind.IoError, $"{_options.Subject}: capture to {FilePath} failed: {ex.Message}");
            }
        }
    }

    /// <summary>While writing, wake up at the next time-rotation boundary so an idle file still rotates.</summary>
    private int WritingTimeout()
    {
        // Once the boundary has passed and the file still ends mid-line, only new data can finish the line.
        if (_nextBoundary is not { } boundary || TimeRotationDue()) return -1;
        double ms = (boundary - _options.Time.GetUtcNow()).TotalMilliseconds;
        return ms <= 0 ? 0 : (int)Math.Min(ms + 1, int.MaxValue);
    }

    private int RetryTimeout()
    {
        long remaining = _retryAt - Now();
        return remaining <= 0 ? 0 : (int)Math.Min(_options.Time.GetElapsedTime(0, remaining).TotalMilliseconds + 1, int.MaxValue);
    }

    private long Now() => _options.Time.GetTimestamp();

    private long RetryDeadline() => Now() + (long)(_options.RetryInterval.TotalSeconds * _options.Time.TimestampFrequency);

    private string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "s";

    [Conditional("DEBUG")]
    private void AssertCaptureThread() => Debug.Assert(Thread.CurrentThread == _thread, "capture state is owned by its thread");
}
