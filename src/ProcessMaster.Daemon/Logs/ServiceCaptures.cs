using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Logs;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Logs;

namespace ProcessMaster.Daemon.Logs;

/// <summary>
/// Log capture of every service (SPEC §3.2): each stream is a FIFO in the daemon's pipe directory that the service
/// holds open read-write (no SIGPIPE, ever; it blocks when the pipe is full), drained by one
/// <see cref="LogCaptureLoop"/> thread with splice() into the configured file. The FIFO outlives the daemon, so a
/// restarted daemon resumes capture where the last one stopped. The supervision loop only attaches and detaches
/// services and asks for the descriptors a spawn hands to the child; every call comes from that one thread.
/// </summary>
internal sealed class ServiceCaptures : IDisposable
{
    private readonly Dictionary<string, StreamCapture[]> _services = new(StringComparer.Ordinal);
    private readonly ConfinedDirectory _pipes;
    private readonly EventJournal _journal;
    private LogCaptureLoop? _loop;

    /// <param name="pipes">The daemon's FIFO directory (owned from now on).</param>
    /// <param name="journal">Receives capture events (component "logs").</param>
    public ServiceCaptures(ConfinedDirectory pipes, EventJournal journal)
    {
        _pipes = pipes;
        _journal = journal;
    }

    /// <summary>Services attached now.</summary>
    public int Count => _services.Count;

    /// <summary>Each captured stream of <paramref name="service"/> (none when it is not attached): bytes written to its log
    /// file and bytes drained and thrown away (log path refused).</summary>
    public IReadOnlyList<(string Stream, long BytesWritten, long BytesDiscarded)> CountersOf(string service) =>
        _services.TryGetValue(service, out StreamCapture[]? captures)
            ? [.. captures.Select(c => (c.Stream, c.Capture.BytesWritten, c.Capture.BytesDiscarded))]
            : [];

    /// <summary>
    /// Starts (once) the captures of <paramref name="definition"/>'s stdout and stderr (one capture when both name
    /// the same file).
    /// </summary>
    /// <exception cref="IOException">A FIFO cannot be created or opened.</exception>
    public void Attach(ServiceDefinition definition)
    {
        string service = definition.Name.Value;
        if (_services.ContainsKey(service)) return;
        LogSettings logs = definition.Logs;
        LogRotationSettings rotation = Rotation(logs);
        var captures = new List<StreamCapture>(2);
        try
        {
            captures.Add(Start(definition, "stdout", logs.Stdout, rotation));
            if (!SamePath(logs.Stderr, logs.Stdout))
                captures.Add(Start(definition, "stderr", logs.Stderr, rotation));
        }
        catch
        {
            foreach (StreamCapture capture in captures) capture.Dispose();
            throw;
        }
        _services[service] = [.. captures];
    }

    /// <summary>Stops capturing <paramref name="service"/>'s streams; every unread byte stays in its FIFO for a later capture.</summary>
    public void Detach(string service)
    {
        if (!_services.Remove(service, out StreamCapture[]? captures)) return;
        foreach (StreamCapture capture in captures) capture.Dispose();
    }

    /// <summary>
    /// New descriptors on <paramref name="definition"/>'s FIFOs for its main process (attaching first when needed);
    /// stderr is null when it goes to the stdout file. The caller disposes them after the spawn.
    /// </summary>
    /// <exception cref="IOException">The FIFOs cannot be opened.</exception>
    public (SafeFdHandle Stdout, SafeFdHandle? Stderr) OpenForChild(ServiceDefinition definition)
    {
        Attach(definition);
        StreamCapture[] captures = _services[definition.Name.Value];
        SafeFdHandle stdout = captures[0].Fifo.OpenForChild();
        try
        {
            return (stdout, captures.Length > 1 ? captures[1].Fifo.OpenForChild() : null);
        }
        catch
        {
            stdout.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Who owns the directories the daemon creates below the working directory for log files (e.g. <c>logs/</c>):
    /// the service's user and group, so the service can write its own files (hints) there. The files the daemon writes
    /// stay root's (0640) and are opened without following a symlink, regular, with one link. Null (the daemon
    /// keeps them) for a service without a user, or one whose user does not resolve (its start fails anyway).
    /// </summary>
    public static (uint Uid, uint Gid)? DirectoryOwner(ServiceDefinition definition) =>
        definition.Process.User is { } user && UserDatabase.TryResolve(user, definition.Process.Group, out UserCredentials? who, out _) && who is not null
            ? (who.Uid, who.Gid)
            : null;

    /// <summary>True when both name the same file.</summary>
    public static bool SamePath(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    /// <summary>Stops every capture (nothing is drained: the next daemon reads what is left), the loop and its workers.</summary>
    public void Dispose()
    {
        foreach (StreamCapture[] captures in _services.Values)
            foreach (StreamCapture capture in captures) capture.Dispose();
        _services.Clear();
        _loop?.Dispose();
        _pipes.Dispose();
    }

    private StreamCapture Start(ServiceDefinition definition, string stream, string file, LogRotationSettings rotation)
    {
        string service = definition.Name.Value;
        LogFifo fifo = LogFifo.OpenOrCreate(_pipes, $"{service}.{stream}");
        try
        {
            ServiceFileLocation path = ServiceFileLocation.Of(file, definition.Process.WorkingDirectory);
            var options = new LogCaptureOptions($"service \"{service}\" {stream}", path.BaseDirectory, path.Path, rotation)
            {
                DirectoryOwner = DirectoryOwner(definition),
            };
            // The loop (its thread, epoll and wake-up descriptors) starts with the first capture: none while nothing is captured.
            _loop ??= new LogCaptureLoop();
            return new StreamCapture(stream, fifo, _loop.Start(fifo, options, e => _journal.Append("logs", service, e.Message, EventSeverity.Warning)));
        }
        catch
        {
            fifo.Dispose();
            throw;
        }
    }

    private static LogRotationSettings Rotation(LogSettings logs) => logs.Rotation switch
    {
        LogRotation.BySize size => LogRotationSettings.BySize((long)size.Size.Bytes, size.Backups, logs.Compression),
        LogRotation.ByTime time => LogRotationSettings.ByTime(time.Frequency, time.MaxAge.TimeSpan, logs.Compression),
        _ => LogRotationSettings.Default,
    };

    /// <summary>One captured stream: the FIFO the service writes to and the capture draining it.</summary>
    private sealed class StreamCapture(string stream, LogFifo fifo, LogCapture capture) : IDisposable
    {
        public string Stream { get; } = stream;

        public LogFifo Fifo { get; } = fifo;

        public LogCapture Capture { get; } = capture;

        public void Dispose()
        {
            Capture.Dispose();
            Fifo.Dispose();
        }
    }
}
