using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// Gzips rotated log files on one background thread, shared by every capture, so compression never
/// slows capture. Each file is compressed into a hidden temporary (0640, never through a symlink), then,
/// under the stream's gate, renamed to <c>NAME.gz</c> beside wherever the original is by then, and the
/// original removed. Jobs left in the queue at <see cref="Dispose"/> are redone by the next capture's start.
/// </summary>
public sealed class LogCompressor : IDisposable
{
    private readonly BlockingCollection<CompressionJob> _queue = new();
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private int _pending;

    /// <summary>Starts the worker thread.</summary>
    public LogCompressor()
    {
        _thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "log gzip" };
        _thread.Start();
    }

    /// <summary>Jobs queued or running.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Waits until no job is queued or running; false on timeout.</summary>
    public bool WaitIdle(TimeSpan timeout) => SpinWait.SpinUntil(() => Pending == 0, timeout);

    /// <summary>Stops after the job in progress; queued jobs are dropped (their directories closed).</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _stop.Cancel();
        _thread.Join();
        while (_queue.TryTake(out CompressionJob? job)) job.Directory.Dispose();
        _queue.Dispose();
        _stop.Dispose();
    }

    internal void Enqueue(CompressionJob job)
    {
        Interlocked.Increment(ref _pending);
        try
        {
            _queue.Add(job);
        }
        catch (InvalidOperationException)
        {
            Interlocked.Decrement(ref _pending);
            job.Directory.Dispose();
        }
    }

    private void Run()
    {
        try
        {
            foreach (CompressionJob job in _queue.GetConsumingEnumerable(_stop.Token))
            {
                try
                {
                    CompressAll(job);
                }
                finally
                {
                    job.Directory.Dispose();
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private static void CompressAll(CompressionJob job)
    {
        IReadOnlyList<string> names;
        try
        {
            names = job.Directory.List();
        }
        catch (IOException ex)
        {
            job.Report(new LogCaptureEvent(LogCaptureEventKind.MaintenanceFailed, $"{job.Subject}: listing {job.Directory.Path} for compression failed: {ex.Message}; retried at the next rotation"));
            return;
        }
        foreach (string name in names)
            if (job.IsCandidate(name)) CompressOne(job, name);
    }

    private static void CompressOne(CompressionJob job, string name)
    {
        ConfinedDirectory directory = job.Directory;
        string temporary = "." + name + CompressionJob.TemporarySuffix;
        try
        {
            SafeFileHandle source;
            ulong inode;
            lock (job.Gate)
            {
                if (directory.Stat(name) is not { Kind: EntryKind.File }) return;
                source = directory.OpenRegularFileForReading(name);
                inode = ConfinedDirectory.StatOf(source, directory.PathOf(name)).Inode;
            }
            using (source)
            {
                directory.Delete(temporary);
                using SafeFileHandle target = directory.CreateNewFile(temporary, job.FileMode);
                using var input = new FileStream(source, FileAccess.Read, bufferSize: 0);
                using var output = new FileStream(target, FileAccess.Write, bufferSize: 64 * 1024);
                using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
                    input.CopyTo(gzip, 64 * 1024);
                output.Flush();
            }
            lock (job.Gate)
            {
                string? current = job.Locate(directory, name, inode);
                if (current is null)
                {
                    directory.Delete(temporary);
                    return;
                }
                directory.Rename(temporary, current + ".gz");
                directory.Delete(current);
            }
        }
        catch (IOException ex)
        {
            TryDelete(directory, temporary);
            job.Report(new LogCaptureEvent(LogCaptureEventKind.MaintenanceFailed,
                $"{job.Subject}: compressing {directory.PathOf(name)} failed: {ex.Message}; the file stays uncompressed and is retried at the next rotation"));
        }
    }

    private static void TryDelete(ConfinedDirectory directory, string name)
    {
        try
        {
            directory.Delete(name);
        }
        catch (IOException)
        {
            // Best effort; the next capture start removes leftover temporaries.
        }
    }
}
