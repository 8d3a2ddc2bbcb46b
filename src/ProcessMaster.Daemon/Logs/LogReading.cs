using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Logs;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Logs;

/// <summary>
/// Serving logs: the last lines of a service's files, and following them (inotify, not polling; across rotation and
/// truncation). Files are opened the way the writers open them: walked down from the working directory, never through
/// a symlink in any component (a service owns that tree), and only regular files are read.
/// Followers are bounded, for every client (unix socket and web console) in this one place: <see cref="MaxFollowers"/>
/// sessions following <see cref="MaxFollowedFiles"/> files together (N-16); a slow follower loses lines (counted),
/// never slows capture.
/// </summary>
internal sealed class LogReading : IDisposable
{
    /// <summary>Concurrent <c>logs -f</c> sessions at most (fewer when the descriptor limit is low: <see cref="Hosting.OpenFileBudget"/>).</summary>
    public const int MaxFollowers = 1024;

    /// <summary>Files followed at once across all sessions at most (each holds about two fds and a 64 KiB read buffer).</summary>
    public const int MaxFollowedFiles = 2048;

    private readonly LogFollowSlots _slots;

    /// <summary>Serves logs with the given bounds (tests lower them).</summary>
    public LogReading(int maxFollowers = MaxFollowers, int maxFollowedFiles = MaxFollowedFiles) =>
        _slots = new LogFollowSlots(maxFollowers, maxFollowedFiles);
    private readonly Lazy<InotifyHub> _hub = new(() => new InotifyHub());

    public void Dispose()
    {
        if (_hub.IsValueCreated) _hub.Value.Dispose();
    }

    /// <summary>The last <paramref name="lines"/> lines of each file; a missing file is listed with no lines.</summary>
    public static LogsResult Tail(IEnumerable<ServiceLogFile> files, int lines) =>
        new() { Files = [.. files.Select(f => TailOf(f, lines))] };

    /// <summary>Starts following <paramref name="files"/>; the session ends when the client leaves.</summary>
    public LogFollowSession Follow(IReadOnlyList<ServiceLogFile> files, int backlog)
    {
        if (!_slots.TryAcquire(files.Count, out IDisposable? lease, out string refusal))
            throw new RpcException(RpcErrorCodes.Busy, $"logs_follow: {refusal}");
        var followers = new List<(ServiceLogFile File, LogFollower Follower)>();
        try
        {
            foreach (ServiceLogFile file in files)
            {
                using ConfinedDirectory directory = file.OpenDirectory();
                followers.Add((file, LogFollower.Start(directory, file.Name, new LogFollowOptions { Hub = _hub.Value })));
            }
        }
        catch (IOException e)
        {
            foreach (var (_, follower) in followers) follower.Dispose();
            lease.Dispose();
            throw new RpcException(RpcErrorCodes.Refused, $"cannot follow: {e.Message}");
        }
        LogsFollowResult result = new() { Files = [.. files.Select(f => TailOf(f, backlog))] };
        return new LogFollowSession(result, Merge(followers), () =>
        {
            foreach (var (_, follower) in followers) follower.Dispose();
            lease.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    private static async IAsyncEnumerable<LogLineNotification> Merge(List<(ServiceLogFile File, LogFollower Follower)> followers,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var merged = Channel.CreateUnbounded<LogLineNotification>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] pumps = [.. followers.Select(f => PumpAsync(f.File, f.Follower.Lines, merged.Writer, stop.Token))];
        _ = Task.WhenAll(pumps).ContinueWith(_ => merged.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (LogLineNotification line in merged.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return line;
    }

    private static async Task PumpAsync(ServiceLogFile file, ChannelReader<string> lines, ChannelWriter<LogLineNotification> into, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (string line in lines.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                into.TryWrite(new LogLineNotification { Path = file.Path, App = file.Service, Line = line });
        }
        catch (OperationCanceledException)
        {
            // The client left.
        }
    }

    private static LogFileTail TailOf(ServiceLogFile file, int lines)
    {
        try
        {
            using ConfinedDirectory directory = file.OpenDirectory();
            if (directory.KindOf(file.Name) == EntryKind.Missing) return new LogFileTail { Path = file.Path, App = file.Service };
            LogTailResult tail = LogTail.Read(directory, file.Name, lines);
            return new LogFileTail { Path = file.Path, App = file.Service, Lines = tail.Lines };
        }
        catch (UnsafePathException e)
        {
            return new LogFileTail { Path = file.Path, App = file.Service, Lines = [$"(refused {file.Path}: {e.Message})"] };
        }
        catch (LinuxException e) when (e.Errno == Errno.ENOENT)
        {
            return new LogFileTail { Path = file.Path, App = file.Service }; // its directory does not exist (yet)
        }
        catch (IOException e)
        {
            return new LogFileTail { Path = file.Path, App = file.Service, Lines = [$"(cannot read {file.Path}: {e.Message})"] };
        }
    }
}
