using System.Runtime.InteropServices;
using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// What signals mean to the daemon (docs/signals.md), each turned into work off the signal thread, as s6's selfpipe
/// does (STYLE §9.4): SIGHUP reloads the service definitions exactly like <c>pmctl update</c>; SIGUSR1 reopens the
/// daemon log (<c>global.log_file</c>) after an external logrotate, like <c>pmctl log-reopen</c>. Both are caught
/// from the moment the daemon starts, so neither ever kills it (audit N-09); a SIGHUP that arrives before the
/// definitions are loaded is ignored with an event. SIGTERM/SIGINT (shutdown) are registered by
/// <see cref="DaemonHost"/> once the daemon serves.
/// </summary>
internal sealed class DaemonSignals : IAsyncDisposable
{
    /// <summary>SIGUSR1 (10 on Linux; .NET has no name for it, a raw number is allowed).</summary>
    public const PosixSignal SIGUSR1 = (PosixSignal)10;

    private readonly EventJournal _journal;
    private readonly Func<Task> _reopenLog;
    private readonly PosixSignalRegistration _hangup;
    private readonly PosixSignalRegistration _user1;
    private readonly Lock _lock = new();
    private readonly List<Task> _running = [];
    private Func<Task>? _reload;
    private bool _disposed;

    /// <param name="journal">Where each signal is recorded.</param>
    /// <param name="reopenLog">Reopens the daemon log (it records its own event).</param>
    public DaemonSignals(EventJournal journal, Func<Task> reopenLog)
    {
        _journal = journal;
        _reopenLog = reopenLog;
        _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangup);
        _user1 = PosixSignalRegistration.Create(SIGUSR1, OnUser1);
    }

    /// <summary>From now on SIGHUP runs <paramref name="reload"/> (the daemon has loaded its definitions and serves).</summary>
    public void EnableReload(Func<Task> reload)
    {
        lock (_lock) _reload = reload;
    }

    private void OnHangup(PosixSignalContext context)
    {
        context.Cancel = true;
        Func<Task>? reload;
        lock (_lock) reload = _reload;
        if (reload is null)
        {
            _journal.Append("daemon", null, "SIGHUP received while the daemon is starting: ignored (the definitions are being loaded now)");
            return;
        }
        Track(reload);
    }

    private void OnUser1(PosixSignalContext context)
    {
        context.Cancel = true;
        Track(_reopenLog);
    }

    /// <summary>Runs <paramref name="work"/> off the signal thread; shutdown waits for it.</summary>
    private void Track(Func<Task> work)
    {
        lock (_lock)
        {
            if (_disposed) return;
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(Task.Run(async () =>
            {
                try
                {
                    await work().ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _journal.Append("daemon", null, $"signal handling failed: {e.Message}", EventSeverity.Error);
                }
            }));
        }
    }

    /// <summary>Waiting for a reload or reopen still running at exit is bounded: the loop it waits on may be gone.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Stops handling signals (their default action is restored: call this last) and waits a moment for the work they
    /// started.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_lock)
        {
            _disposed = true;
            running = [.. _running];
        }
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(DrainTimeout)).ConfigureAwait(false);
        _hangup.Dispose();
        _user1.Dispose();
    }
}
