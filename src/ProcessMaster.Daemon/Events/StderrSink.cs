using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ProcessMaster.Daemon.Events;

/// <summary>
/// Event lines on the daemon's stderr (the journal under systemd), written by a background task so that nothing that
/// appends an event — above all the supervision loop — ever waits for stderr (N-06: a stalled journald, a pipe
/// nobody reads, a terminal in XOFF). Under a stall the oldest queued lines are dropped and counted, and the count is
/// written once stderr takes lines again. A broken stderr (EPIPE) is given up silently.
/// </summary>
internal sealed class StderrSink : IAsyncDisposable
{
    private static readonly TimeSpan FlushOnDispose = TimeSpan.FromSeconds(2);

    private readonly EventLineQueue _queue;
    private readonly Stream _output;
    private readonly TimeProvider _time;
    private readonly Task _writer;

    /// <summary>Writes to <paramref name="output"/> (null: fd 2).</summary>
    public StderrSink(TimeProvider time, Stream? output = null, int capacity = 10_000)
    {
        _time = time;
        _queue = new EventLineQueue(capacity);
        _output = output ?? new FileStream(new SafeFileHandle(2, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Lines dropped so far because stderr did not keep up.</summary>
    public long Dropped => _queue.DroppedTotal;

    /// <summary>Queues one line (never blocks).</summary>
    public void Append(string line) => _queue.Append(line);

    private async Task WriteLoopAsync()
    {
        bool broken = false;
        await foreach (string line in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (broken) continue;
            try
            {
                long dropped = _queue.TakeDropped();
                if (dropped > 0) Write(EventLineQueue.DroppedNotice(_time.GetUtcNow(), dropped, "stderr"));
                Write(line);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
            {
                broken = true;
            }
        }
    }

    private void Write(string line) => _output.Write(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>Writes what is queued, waiting at most a moment: a stalled stderr never holds up the exit.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Complete();
        await Task.WhenAny(_writer, Task.Delay(FlushOnDispose, _time)).ConfigureAwait(false);
    }
}
