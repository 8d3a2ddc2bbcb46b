namespace ProcessMaster.Daemon.Events;

/// <summary>
/// How much an event needs an operator, decided where the event is raised (by what happened, never by its wording).
/// The values are the syslog priorities journald reads from a line's <c>&lt;N&gt;</c> prefix (sd-daemon(3)).
/// </summary>
internal enum EventSeverity
{
    /// <summary>Something failed and needs an operator: a service gave up (FAILED), state cannot be saved, a surface cannot serve.</summary>
    Error = 3,

    /// <summary>Something went wrong and the daemon coped: a crash with a restart, a refused request or definition, a limit not applied.</summary>
    Warning = 4,

    /// <summary>What the daemon did or observed in the normal course.</summary>
    Info = 6,
}
