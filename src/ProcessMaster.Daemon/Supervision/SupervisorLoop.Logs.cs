using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Logs;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Log capture wiring (SPEC §3.2): each stream of a service is a FIFO in the daemon's pipe directory that the
/// service holds open read-write (no SIGPIPE, ever; it blocks when the pipe is full), drained by a
/// <see cref="LogCapture"/> with splice() into the configured file. The FIFO outlives the daemon, so a restarted
/// daemon resumes capture where the last one stopped.
/// </summary>
internal sealed partial class SupervisorLoop
{
    /// <summary>Starts (once) the captures of an app's stdout and stderr.</summary>
    private void EnsureCaptures(ServiceSlot slot)
    {
        if (slot.Captures is not null) return;
        LogSettings logs = slot.Definition.Logs;
        string workdir = slot.Definition.Process.WorkingDirectory;
        LogRotationSettings rotation = Rotation(logs);
        var captures = new List<StreamCapture>(2);
        try
        {
            captures.Add(StartCapture(slot, "stdout", logs.Stdout, workdir, rotation));
            if (!SamePath(logs.Stderr, logs.Stdout))
                captures.Add(StartCapture(slot, "stderr", logs.Stderr, workdir, rotation));
        }
        catch
        {
            foreach (StreamCapture capture in captures) capture.Dispose();
            throw;
        }
        slot.Captures = captures;
    }

    private StreamCapture StartCapture(ServiceSlot slot, string stream, string file, string workdir, LogRotationSettings rotation)
    {
        LogFifo fifo = LogFifo.OpenOrCreate(_logs.Pipes, $"{slot.Name}.{stream}");
        (string baseDirectory, LogRelativePath path) = Relative(file, workdir);
        var options = new LogCaptureOptions($"service \"{slot.Name}\" {stream}", baseDirectory, path, rotation);
        string app = slot.Name;
        LogCapture capture = LogCapture.Start(fifo, options, e => _journal.Append("logs", app, e.Message), _logs.Compressor);
        return new StreamCapture(fifo, capture);
    }

    /// <summary>stdout and stderr of the main process: the capture FIFOs.</summary>
    private (SpawnOutput Stdout, SpawnOutput Stderr) ServiceOutputs(ServiceSlot slot)
    {
        EnsureCaptures(slot);
        IReadOnlyList<StreamCapture> captures = slot.Captures!;
        SpawnOutput stdout = SpawnOutput.Fifo(captures[0].Fifo.Path);
        return (stdout, captures.Count > 1 ? SpawnOutput.Fifo(captures[1].Fifo.Path) : SpawnOutput.SameAsStdout);
    }

    /// <summary>stop_command output: appended to <c>logs.stop_command_stdout/stderr</c>, or discarded when set to null.</summary>
    private static (SpawnOutput Stdout, SpawnOutput Stderr) StopCommandOutputs(ServiceSlot slot)
    {
        LogSettings logs = slot.Definition.Logs;
        SpawnOutput stdout = logs.StopCommandStdout is { } o ? SpawnOutput.AppendFile(o) : SpawnOutput.Null;
        SpawnOutput stderr = logs.StopCommandStderr is { } e
            ? SamePath(e, logs.StopCommandStdout) ? SpawnOutput.SameAsStdout : SpawnOutput.AppendFile(e)
            : SpawnOutput.Null;
        return (stdout, stderr);
    }

    private static bool SamePath(string? a, string? b) => a is not null && b is not null && string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    /// <summary>
    /// A log path inside the working directory is walked from there, component by component, never through a
    /// symlink; one outside it (absolute, operator-chosen) is opened in its own directory.
    /// </summary>
    private static (string BaseDirectory, LogRelativePath Path) Relative(string file, string workdir)
    {
        string relative = Path.GetRelativePath(workdir, file);
        if (LogRelativePath.TryParse(relative, out LogRelativePath? inside, out _) && inside is not null)
            return (workdir, inside);
        string directory = Path.GetDirectoryName(file) ?? "/";
        if (LogRelativePath.TryParse(Path.GetFileName(file), out LogRelativePath? name, out string? error) && name is not null)
            return (directory, name);
        throw new IOException($"log file {file}: {error}");
    }

    private static LogRotationSettings Rotation(LogSettings logs) => logs.Rotation switch
    {
        LogRotation.BySize size => LogRotationSettings.BySize((long)size.Size.Bytes, size.Backups, logs.Compression),
        LogRotation.ByTime time => LogRotationSettings.ByTime(time.Frequency, time.MaxAge.TimeSpan, logs.Compression),
        _ => LogRotationSettings.Default,
    };
}

/// <summary>One captured stream: the FIFO the service writes to and the capture draining it.</summary>
internal sealed class StreamCapture(LogFifo fifo, LogCapture capture) : IDisposable
{
    public LogFifo Fifo { get; } = fifo;

    public LogCapture Capture { get; } = capture;

    public void Dispose()
    {
        Capture.Dispose();
        Fifo.Dispose();
    }
}

/// <summary>What every capture shares: the daemon's FIFO directory and the gzip worker.</summary>
internal sealed class LogPlumbing(Linux.Files.ConfinedDirectory pipes, LogCompressor compressor) : IDisposable
{
    public Linux.Files.ConfinedDirectory Pipes { get; } = pipes;

    public LogCompressor Compressor { get; } = compressor;

    public void Dispose()
    {
        Compressor.Dispose();
        Pipes.Dispose();
    }
}
