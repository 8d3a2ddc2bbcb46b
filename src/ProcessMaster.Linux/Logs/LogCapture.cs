using System.Diagnostics;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// Moves one stream from its <see cref="LogFifo"/> into its log file with splice(2), rotating on a line
/// boundary. Driven by a <see cref="LogCaptureLoop"/> (one thread for every capture); opening and rotating the
/// file run on the loop's worker pool while the stream waits.
/// <para>No loss: bytes leave the pipe only inside splice(), which puts them in the file (page cache) in the
/// same system call, so stopping the capture at any instant — <see cref="Dispose"/>, SIGKILL, a crash —
/// leaves every byte either in the file or still in the pipe for the next capture on the same FIFO. Nothing
/// is buffered in user space. The next capture appends at the file's end.</para>
/// <para>Problems never kill the service: a refused path (symlink, hard link, non-regular file) drains and
/// discards (counted); a full disk or an I/O error pauses capture (nothing discarded, the service blocks once
/// the pipe is full) and retries every <see cref="LogCaptureOptions.RetryInterval"/>.</para>
/// <para>Threads: the capture's state belongs to the loop thread, except while a maintenance job (open, rotate)
/// runs on a worker; then the loop leaves the capture alone until the job hands it back.</para>
/// </summary>
public sealed partial class LogCapture : IDisposable
{
    private const int Chunk = 1 << 20;

    private readonly LogCaptureLoop _loop;
    private readonly LogFifo _fifo;
    private readonly LogCaptureOptions _options;
    private readonly Action<LogCaptureEvent> _report;
    private readonly object _gate = new();
    private readonly CompressionState _compression = new();
    private readonly ManualResetEventSlim _idle = new(initialState: true);

    private ConfinedDirectory? _directory;
    private SafeFdHandle? _file;
    private long _size;
    private DateTimeOffset _fileBucket;
    private DateTimeOffset? _nextBoundary;
    private long _overrun;
    private CaptureState _state = CaptureState.Writing;
    private long _retryAt;
    private long _problemSince;
    private long _discardedAtProblem;
    private bool _maintaining;
    private int _disposed;

    private long _bytesWritten;
    private long _bytesDiscarded;
    private long _rotations;

    internal LogCapture(LogCaptureLoop loop, LogFifo fifo, LogCaptureOptions options, Action<LogCaptureEvent> report)
    {
        _loop = loop;
        _fifo = fifo;
        _options = options;
        _report = report;
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

    internal LogFifo Fifo => _fifo;

    /// <summary>The loop's key for this capture; 0 while not attached.</summary>
    internal ulong LoopId { get; set; }

    /// <summary>The FIFO is in the loop's read set.</summary>
    internal bool Armed { get; set; }

    /// <summary>The loop's deadline for this capture (<see cref="Environment.TickCount64"/>), <see cref="long.MaxValue"/> for none.</summary>
    internal long TimerDue { get; set; } = long.MaxValue;

    /// <summary>Bumped whenever the deadline changes, so stale queue entries are skipped.</summary>
    internal long TimerToken { get; set; }

    /// <summary>Detached from the loop: nothing more is done.</summary>
    internal bool Detached { get; set; }

    /// <summary>The loop should read the FIFO: the capture can write or discard and no maintenance job holds it.</summary>
    internal bool WantsFifo => !_maintaining && !Detached && _state is CaptureState.Writing or CaptureState.Discarding;

    /// <summary>
    /// Stops capturing without draining the pipe (what is left stays there for the next capture) and closes the log
    /// file. Returns once neither the loop nor a worker touches the capture. Safe to call from any thread, once or more.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _loop.Detach(this);
        _idle.Wait();
        CloseTarget();
        _idle.Dispose();
    }

    /// <summary>Attached (loop thread): open the log file on a worker.</summary>
    internal void Begin() => StartMaintenance(() => OpenTarget(resuming: false));

    /// <summary>One turn on the loop thread: the FIFO is readable, or the capture's deadline passed.</summary>
    internal void Step(bool readable)
    {
        if (_maintaining || Detached) return;
        try
        {
            if (_state is not CaptureState.Writing && Now() >= _retryAt)
            {
                if (_state is CaptureState.Paused && _file is not null)
                {
                    RetryWriting();
                }
                else
                {
                    StartMaintenance(() => OpenTarget(resuming: true));
                    return;
                }
            }
            if (_state is CaptureState.Writing && !readable && TimeRotationDue() && AtLineEnd())
            {
                StartMaintenance(Rotate);
                return;
            }
            if (!readable) return;
            if (_state is CaptureState.Writing) Transfer();
            else if (_state is CaptureState.Discarding) Discard();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Pause(LogCaptureEventKind.IoError, $"{_options.Subject}: capture to {FilePath} failed: {ex.Message}");
        }
    }

    /// <summary>Milliseconds until the capture wants <see cref="Step"/> without data, -1 for never.</summary>
    internal int TimeoutMs() => _maintaining || Detached ? -1 : _state is CaptureState.Writing ? WritingTimeout() : RetryTimeout();

    /// <summary>The loop could not watch the FIFO (epoll_ctl failed).</summary>
    internal void ReportAttachFailed(string why) =>
        _report(new LogCaptureEvent(LogCaptureEventKind.IoError,
            $"{_options.Subject}: cannot watch {_fifo.Path}: {why}; output is not captured (it stays in the pipe) until capture is set up again"));

    /// <summary>
    /// Hands the capture to a worker for <paramref name="work"/> (open or rotate). The FIFO is not read meanwhile; the
    /// worker hands it back to the loop when done.
    /// </summary>
    private void StartMaintenance(Action work)
    {
        _maintaining = true;
        _idle.Reset();
        _loop.Workers.Queue(new LogWork(
            () =>
            {
                try
                {
                    work();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Pause(LogCaptureEventKind.IoError, $"{_options.Subject}: capture to {FilePath} failed: {ex.Message}");
                }
                finally
                {
                    _idle.Set();
                    _loop.Post(EndMaintenance);
                }
            },
            _idle.Set), urgent: true);
    }

    private void EndMaintenance()
    {
        _maintaining = false;
        _loop.Sync(this);
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
    private void AssertOwner() => Debug.Assert(_loop.OnLoopThread || _maintaining, "capture state is owned by the loop thread or its maintenance job");
}
