using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Daemon.Events;

/// <summary>One thing the daemon decided or observed, as an operator reads it.</summary>
/// <param name="Sequence">Monotonic number, unique for the daemon's lifetime (lets followers resume).</param>
/// <param name="Time">Wall-clock time of the event.</param>
/// <param name="Component">Which part decided: state, stop, restart, schedule, reconcile, flag, config, …</param>
/// <param name="App">The service it concerns, or null for the daemon itself.</param>
/// <param name="Message">What happened and what happens next (STYLE §8).</param>
/// <param name="Severity">How much it needs an operator (the journal priority under systemd).</param>
internal sealed record DaemonEvent(long Sequence, DateTimeOffset Time, string Component, string? App, string Message,
    EventSeverity Severity = EventSeverity.Info)
{
    /// <summary>
    /// The daemon log line: <c>2026-11-27 10:00:00.123 [stop] app=web message</c>. Control characters in any part
    /// (a newline, ESC, ...) are escaped, so one event is always one line and text from clients or files cannot forge
    /// another line or drive the terminal (N-11).
    /// </summary>
    public string ToLogLine() =>
        App is null
            ? $"{Time.LocalDateTime:yyyy-MM-dd HH:mm:ss.fff} [{TerminalText.Escape(Component)}] {TerminalText.Escape(Message)}"
            : $"{Time.LocalDateTime:yyyy-MM-dd HH:mm:ss.fff} [{TerminalText.Escape(Component)}] app={TerminalText.Escape(App)} {TerminalText.Escape(Message)}";

    /// <summary>The log line with its journal priority prefix (<c>&lt;3&gt;</c>, <c>&lt;4&gt;</c>, <c>&lt;6&gt;</c>) for a stderr that is the journal.</summary>
    public string ToJournalLine() => $"<{(int)Severity}>{ToLogLine()}";
}
