using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// Reopening the daemon log (<c>global.log_file</c>) on request: SIGUSR1, <c>pmctl log-reopen</c>, or a changed path
/// from <c>pmctl update --master</c>. The request's own event is the first line of the reopened file.
/// </summary>
internal sealed class DaemonLogReopen(DaemonLogFile log, EventJournal journal)
{
    /// <summary>How long a caller waits for the log writer to reopen (it may be held up by a slow disk).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The log's path now.</summary>
    public string Path => log.Path;

    /// <summary>Reopens the log (at <paramref name="newPath"/> when given); null when it is open, else why not.</summary>
    public async Task<string?> ReopenAsync(string by, string? newPath = null)
    {
        string from = log.Path;
        Task<string?> done = log.ReopenAsync(newPath);
        journal.Append("daemon", null, newPath is null
            ? $"daemon log: reopening {from} (requested by {by})"
            : $"daemon log: moving from {from} to {log.PathAfter(newPath)} (requested by {by})");
        string? error;
        try
        {
            error = await done.WaitAsync(Timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            error = $"the log writer did not get to it within {Timeout.TotalSeconds:0} s (a slow or stalled disk?); it reopens the file before its next line";
        }
        if (error is not null)
            journal.Append("daemon", null, $"daemon log: cannot open {log.PathAfter(newPath)}: {error}; events still go to stderr and `pmctl events`", EventSeverity.Error);
        return error;
    }

    /// <summary>SIGUSR1.</summary>
    public Task OnSignalAsync() => ReopenAsync("SIGUSR1");
}
