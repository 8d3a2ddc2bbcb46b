using System.IO.Compression;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// Gzips rotated log files on the <see cref="LogWorkerPool"/> (background jobs), so compression never slows
/// capture. Each file is compressed into a hidden temporary (0640, never through a symlink), then, under the
/// stream's gate, renamed to <c>NAME.gz</c> beside wherever the original is by then, and the original removed.
/// Jobs dropped when the pool stops are redone by the next capture's start.
/// </summary>
internal static class LogCompressor
{
    /// <summary>
    /// The pool job for <paramref name="job"/>: it owns the job's directory handle and closes it when done or dropped.
    /// After each pass it asks <paramref name="again"/> whether another rotation asked for compression meanwhile and
    /// runs again if so; <paramref name="dropped"/> is called when the pool stops before the job ran. One stream has at
    /// most one such job (its capture sees to that): two passes over the same files would collide on their temporaries.
    /// </summary>
    internal static LogWork Work(CompressionJob job, Func<bool> again, Action dropped) => new(
        () =>
        {
            try
            {
                do CompressAll(job);
                while (again());
            }
            finally
            {
                job.Directory.Dispose();
            }
        },
        () =>
        {
            job.Directory.Dispose();
            dropped();
        });

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
            SafeFdHandle source;
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
                using SafeFdHandle target = directory.CreateNewFile(temporary, job.FileMode);
                using FileStream input = source.ToStream(FileAccess.Read, bufferSize: 0);
                using FileStream output = target.ToStream(FileAccess.Write, bufferSize: 64 * 1024);
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
