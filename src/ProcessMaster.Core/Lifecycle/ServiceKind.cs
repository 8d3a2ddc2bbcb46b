namespace ProcessMaster.Core.Lifecycle;

/// <summary>Whether a service runs continuously or on a schedule.</summary>
public enum ServiceKind
{
    /// <summary>A long-running service with a restart policy.</summary>
    Service,
    /// <summary>A cron job: runs when due, never restarted, never overlapping.</summary>
    Job,
}
