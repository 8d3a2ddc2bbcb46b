using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// An accepted <c>logs_follow</c>: the backlog (the reply) and the live lines (sent as <c>logs_line</c> notifications).
/// The RPC layer enumerates <see cref="Lines"/> once, with the connection's cancellation token, and disposes the
/// session when the client leaves (also when it never started enumerating), which runs <c>onClose</c> once.
/// </summary>
internal sealed class LogFollowSession : IAsyncDisposable
{
    private Func<ValueTask>? _onClose;

    /// <summary>Creates a session.</summary>
    /// <param name="backlog">The reply: each followed file with its last lines.</param>
    /// <param name="lines">New complete lines, in order per file; ends when following is no longer possible.</param>
    /// <param name="onClose">Releases what the session holds (watches, follower slot); may be null.</param>
    public LogFollowSession(LogsFollowResult backlog, IAsyncEnumerable<LogLineNotification> lines, Func<ValueTask>? onClose = null)
    {
        Backlog = backlog;
        Lines = lines;
        _onClose = onClose;
    }

    /// <summary>The reply to <c>logs_follow</c>.</summary>
    public LogsFollowResult Backlog { get; }

    /// <summary>The live lines.</summary>
    public IAsyncEnumerable<LogLineNotification> Lines { get; }

    /// <summary>Runs <c>onClose</c> once.</summary>
    public ValueTask DisposeAsync()
    {
        Func<ValueTask>? onClose = Interlocked.Exchange(ref _onClose, null);
        return onClose?.Invoke() ?? ValueTask.CompletedTask;
    }
}
