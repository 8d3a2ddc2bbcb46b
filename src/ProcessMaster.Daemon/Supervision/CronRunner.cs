using System.Globalization;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Cron;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;
using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// The cron runner: one deadline per job, armed for its next occurrence (no per-minute scan), decided by
/// <see cref="CronPlanner"/>. A due run while the previous one is alive is skipped with an event (never queued,
/// never overlapping); missed occurrences are counted and skipped; each occurrence is handled at most once,
/// also across daemon restarts (the planner's state is persisted). A collaborator of the <see cref="SupervisorLoop"/>:
/// it runs on the loop thread, and a due run reaches the job's lifecycle through <paramref name="feed"/>.
/// </summary>
/// <param name="feed">Feeds an input to a service's lifecycle (the loop's <c>Feed</c>).</param>
/// <param name="changed">Tells the loop that something worth persisting changed.</param>
internal sealed class CronRunner(DaemonClock clock, DeadlineSchedule deadlines, EventJournal journal, TimeZoneInfo zone,
    Action<ServiceSlot, ServiceInput> feed, Action changed)
{
    private readonly DaemonClock _clock = clock;
    private readonly DeadlineSchedule _deadlines = deadlines;
    private readonly EventJournal _journal = journal;
    private readonly TimeZoneInfo _zone = zone;

    /// <summary>Arms the timer for a job's next occurrence (or clears it for a service or a finished window).</summary>
    public void Arm(ServiceSlot slot)
    {
        if (slot.Definition.RunMode is not RunMode.Job job || slot.Removed)
        {
            slot.NextRunAt = null;
            _deadlines.Set(DeadlineKey.Cron(slot.Name), null);
            return;
        }
        Moment now = _clock.Now();
        CronStep step = CronPlanner.Replan(slot.Cron ?? CronPlanner.Begin(now.Wall), CronPolicy.For(job), now.Wall, _zone);
        slot.Cron = step.State;
        if (step.Decision is CronDecision.Finished && slot.NextRunAt is not null)
            _journal.Append("schedule", slot.Name, $"no further runs: schedule \"{job.Schedule.Text}\" has no occurrence left in its window");
        Arm(slot, step.Due, now);
    }

    private void Arm(ServiceSlot slot, DateTimeOffset? due, Moment now)
    {
        slot.NextRunAt = due;
        _deadlines.Set(DeadlineKey.Cron(slot.Name), due is { } at ? now.Mono + (at > now.Wall ? at - now.Wall : TimeSpan.Zero) : null);
    }

    /// <summary>The job's cron deadline passed: run, skip or finish, then arm for the next occurrence.</summary>
    public void OnDue(ServiceSlot slot)
    {
        if (slot.Definition.RunMode is not RunMode.Job job) return;
        Moment now = _clock.Now();
        bool runInProgress = slot.Runtime.State != ServiceState.Idle || slot.Runtime.Populated;
        CronStep step = CronPlanner.OnTimer(slot.Cron ?? CronPlanner.Begin(now.Wall), CronPolicy.For(job), now.Wall, _zone, runInProgress);
        slot.Cron = step.State;
        switch (step.Decision)
        {
            case CronDecision.Fire fire:
                ReportMissed(slot, fire.Missed);
                RunScheduled(slot, fire.Occurrence, fire.CatchUp);
                break;
            case CronDecision.Skip { Reason: SkipReason.Overlap } skip:
                ReportMissed(slot, skip.Missed);
                _journal.Append("schedule", slot.Name, $"run due at {Local(skip.Occurrence)} skipped: the previous run is still {slot.Runtime.PhaseOf().Name()} (runs never overlap)");
                break;
            case CronDecision.Skip skip:
                ReportMissed(slot, skip.Missed);
                _journal.Append("schedule", slot.Name, $"run due at {Local(skip.Occurrence)} skipped: missed by more than {DurationText.Format(CronPlanner.DefaultGrace)}", EventSeverity.Warning);
                break;
            case CronDecision.Finished:
                _journal.Append("schedule", slot.Name, $"no further runs: schedule \"{job.Schedule.Text}\" has no occurrence left in its window");
                break;
        }
        Arm(slot, step.Due, now);
        changed();
    }

    private void ReportMissed(ServiceSlot slot, OccurrenceRange? missed)
    {
        if (missed is not { } range) return;
        _journal.Append("schedule", slot.Name,
            $"{(range.CountIsLowerBound ? "at least " : "")}{range.Count} occurrence(s) from {Local(range.First)} to {Local(range.Last)} were missed " +
            "(daemon down, host suspended or clock stepped forward); skipped, not run late");
    }

    private void RunScheduled(ServiceSlot slot, DateTimeOffset occurrence, bool catchUp)
    {
        if (!slot.Definition.Enabled)
        {
            _journal.Append("schedule", slot.Name, $"run due at {Local(occurrence)} skipped: the job is disabled");
            return;
        }
        _journal.Append("schedule", slot.Name, $"run due at {Local(occurrence)}{(catchUp ? " (catch-up run)" : "")}");
        feed(slot, new StartRequested(Requester.Schedule));
    }

    private static string Local(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
