namespace ProcessMaster.Linux.Logs;

/// <summary>A capture event with operator-readable text: subject, what failed, why, what happens next.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">The full text, e.g. <c>service "web" stdout: write to /srv/web/logs/stdout.log failed: No space left on device (ENOSPC); …</c>.</param>
public sealed record LogCaptureEvent(LogCaptureEventKind Kind, string Message);
