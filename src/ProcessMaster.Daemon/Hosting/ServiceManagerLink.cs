using ProcessMaster.Daemon.Events;
using ProcessMaster.Linux.Systemd;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// The daemon's side of systemd's <c>Type=notify</c> protocol (sd_notify(3), no libsystemd): <c>READY=1</c> once the
/// socket listens (and the web console, when enabled, serves or has said why not), <c>STATUS=</c> lines at the
/// milestones, <c>STOPPING=1</c> when shutdown begins, and <c>WATCHDOG=1</c> every half <c>WATCHDOG_USEC</c> — sent
/// only after the supervision loop has answered a probe, so a stuck loop stops the keep-alives and systemd's
/// <c>WatchdogSec=</c> restarts the daemon (the services keep running and are adopted). Without <c>NOTIFY_SOCKET</c>
/// every call does nothing. A send that fails is reported once (warning) and never stops the daemon.
/// </summary>
internal sealed class ServiceManagerLink : IAsyncDisposable
{
    private readonly NotifySocket? _socket;
    private readonly EventJournal _journal;
    private readonly TimeSpan? _watchdog;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private Task _ping = Task.CompletedTask;
    private bool _sendFailed;

    public ServiceManagerLink(ServiceManagerEnvironment environment, EventJournal journal)
    {
        _journal = journal;
        if (environment.WatchdogProblem is { } watchdogProblem) journal.Append("systemd", null, watchdogProblem, EventSeverity.Warning);
        if (environment.NotifySocket is not { } address) return;
        _socket = NotifySocket.TryOpen(address, out string? problem);
        if (_socket is null)
        {
            journal.Append("systemd", null, $"{ServiceManagerEnvironment.NotifySocketVariable}: {problem}; no readiness notifications are sent", EventSeverity.Warning);
            return;
        }
        _watchdog = environment.Watchdog;
        journal.Append("systemd", null, $"notifying the service manager at {address}" +
            (_watchdog is { } w ? $"; watchdog keep-alive every {(w / 2).TotalMilliseconds:0} ms (WATCHDOG_USEC={(long)(w.Ticks / 10)})" : ""));
    }

    /// <summary><c>READY=1</c> with a status line.</summary>
    public void Ready(string status) => Send($"READY=1\nSTATUS={OneLine(status)}");

    /// <summary>A <c>STATUS=</c> line (what <c>systemctl status</c> shows).</summary>
    public void Status(string status) => Send($"STATUS={OneLine(status)}");

    /// <summary><c>STOPPING=1</c> with a status line; the watchdog keep-alive ends.</summary>
    public void Stopping(string status)
    {
        _stopping.Cancel();
        _timer?.Dispose();
        Send($"STOPPING=1\nSTATUS={OneLine(status)}");
    }

    /// <summary>Starts the watchdog keep-alive (when systemd asked for one): every half interval, probe, then <c>WATCHDOG=1</c>.</summary>
    public void StartWatchdog(Func<Task> probe, TimeProvider time)
    {
        if (_socket is null || _watchdog is not { } interval) return;
        TimeSpan period = interval / 2;
        _timer = time.CreateTimer(_ =>
        {
            lock (_lock)
            {
                if (!_ping.IsCompleted || _stopping.IsCancellationRequested) return; // the last probe has not come back: no keep-alive
                _ping = PingAsync(probe);
            }
        }, null, period, period);
    }

    private async Task PingAsync(Func<Task> probe)
    {
        try
        {
            await probe().WaitAsync(_stopping.Token).ConfigureAwait(false);
            Send("WATCHDOG=1");
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private void Send(string message)
    {
        if (_socket is null || _socket.TrySend(message, out string? error)) return;
        lock (_lock)
        {
            if (_sendFailed) return;
            _sendFailed = true;
        }
        _journal.Append("systemd", null, $"cannot notify the service manager: {error}; supervision goes on (reported once)", EventSeverity.Warning);
    }

    private static string OneLine(string text) => TerminalText.Escape(text);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_timer is not null) await _timer.DisposeAsync().ConfigureAwait(false);
        Task ping;
        lock (_lock) ping = _ping;
        await ping.ConfigureAwait(false);
        _socket?.Dispose();
        _stopping.Dispose();
    }
}
