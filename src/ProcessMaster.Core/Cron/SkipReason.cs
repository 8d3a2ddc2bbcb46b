namespace ProcessMaster.Core.Cron;

/// <summary>Why an occurrence did not run.</summary>
public enum SkipReason
{
    /// <summary>It was evaluated later than <see cref="CronPolicy.Grace"/> after its time (host suspended, wall
    /// clock stepped forward, daemon down or stalled) and no catch-up was asked for.</summary>
    Missed,
    /// <summary>It was due (on time, or as the catch-up run) while the previous run was still alive; runs never overlap.</summary>
    Overlap,
}
