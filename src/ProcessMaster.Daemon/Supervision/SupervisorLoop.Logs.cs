using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Logs;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Logs;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Daemon.Events;

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
        ServiceFileLocation path = ServiceFileLocation.Of(file, workdir);
        var options = new LogCaptureOptions($"service \"{slot.Name}\" {stream}", path.BaseDirectory, path.Path, rotation)
        {
            DirectoryOwner = DirectoryOwner(slot.Definition),
        };
        string app = slot.Name;
        LogCapture capture = LogCapture.Start(fifo, options, e => _journal.Append("logs", app, e.Message, EventSeverity.Warning), _logs.Compressor);
        return new StreamCapture(fifo, capture);
    }

    /// <summary>
    /// Who owns the directories the daemon creates below the working directory for log files (e.g. <c>logs/</c>):
    /// the service's user and group, so the app can write its own files (hints) there. The files the daemon writes
    /// stay root's (0640) and are opened without following a symlink, regular, with one link. Null (the daemon
    /// keeps them) for a service without a user, or one whose user does not resolve (its start fails anyway).
    /// </summary>
    private static (uint Uid, uint Gid)? DirectoryOwner(ServiceDefinition definition) =>
        definition.Process.User is { } user && UserDatabase.TryResolve(user, definition.Process.Group, out UserCredentials? who, out _) && who is not null
            ? (who.Uid, who.Gid)
            : null;

    /// <summary>stdout and stderr of the main process: new descriptors on the capture FIFOs (the caller disposes them after the spawn).</summary>
    private SpawnDescriptors ServiceOutputs(ServiceSlot slot)
    {
        EnsureCaptures(slot);
        IReadOnlyList<StreamCapture> captures = slot.Captures!;
        var descriptors = new SpawnDescriptors();
        try
        {
            descriptors.Stdout = descriptors.Keep(captures[0].Fifo.OpenForChild());
            descriptors.Stderr = captures.Count > 1 ? descriptors.Keep(captures[1].Fifo.OpenForChild()) : SpawnOutput.SameAsStdout;
            return descriptors;
        }
        catch
        {
            descriptors.Dispose();
            throw;
        }
    }

    /// <summary>
    /// stop_command output: appended to <c>logs.stop_command_stdout/stderr</c>, opened here by the daemon through the
    /// same no-follow walk as log capture (the child gets the descriptor, never the path), or discarded when set to
    /// null. A target that is refused (a symlink on the way, not a regular file, hard links) is journaled and that
    /// stream is discarded; the stop command still runs.
    /// </summary>
    private SpawnDescriptors StopCommandOutputs(ServiceSlot slot)
    {
        LogSettings logs = slot.Definition.Logs;
        var descriptors = new SpawnDescriptors();
        descriptors.Stdout = logs.StopCommandStdout is { } o ? OpenStopCommandOutput(slot, "stdout", o, descriptors) : SpawnOutput.Null;
        descriptors.Stderr = logs.StopCommandStderr is { } e
            ? SamePath(e, logs.StopCommandStdout) ? SpawnOutput.SameAsStdout : OpenStopCommandOutput(slot, "stderr", e, descriptors)
            : SpawnOutput.Null;
        return descriptors;
    }

    private SpawnOutput OpenStopCommandOutput(ServiceSlot slot, string stream, string file, SpawnDescriptors descriptors)
    {
        try
        {
            ServiceFileLocation path = ServiceFileLocation.Of(file, slot.Definition.Process.WorkingDirectory);
            using ConfinedDirectory directory = path.OpenDirectory(create: true, DirectoryOwner(slot.Definition));
            return descriptors.Keep(directory.OpenAppendFile(path.FileName, LogFileMode));
        }
        catch (IOException e)
        {
            string what = e is UnsafePathException ? "refused" : "cannot be opened";
            _journal.Append("stop", slot.Name, $"stop_command {stream} {file} {what}: {e.Message}; this output of the stop command is discarded", EventSeverity.Warning);
            return SpawnOutput.Null;
        }
    }

    /// <summary>Mode of log files the daemon creates for a service: 0640.</summary>
    private const uint LogFileMode = 0x1A0;

    private static bool SamePath(string? a, string? b) => a is not null && b is not null && string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

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
