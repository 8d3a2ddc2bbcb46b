using ProcessMaster.Core.Config.Model;
using DefinitionKind = ProcessMaster.Core.Config.Model.ServiceKind;
using ProcessMaster.Core.Cron;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// The cron runner: one deadline per job, armed for its next occurrence (no per-minute scan), decided by
/// <see cref="CronPlanner"/>. A due run while the previous one is alive is skipped with an event (never
/// queued, never overlapping); missed occurrences are counted and skipped.
/// </summary>
internal sealed partial class SupervisorLoop
{
    private const string CronPrefix = "cron:";

    private static string CronKey(string app) => CronPrefix + app;

    /// <summary>Arms the timer for a job's next occurrence (or clears it for a service or a finished window).</summary>
    private void ArmSchedule(ServiceSlot slot)
    {
        if (slot.Definition.Kind is not DefinitionKind.Job job || slot.Removed)
        {
            slot.NextRunAt = null;
            _deadlines.Set(CronKey(slot.Name), null);
            return;
        }
        Moment now = _clock.Now();
        DateTimeOffset after = slot.LastFired is { } last && last > now.Wall ? last : now.Wall;
        DateTimeOffset? next = CronPlanner.Next(job, _zone, after);
        if (next is null && slot.NextRunAt is not null)
            _journal.Append("schedule", slot.Name, $"no further runs: schedule \"{job.Schedule.Text}\" has no occurrence left{(job.NotAfter is { } end ? $" before not_after {end}" : "")}");
        Arm(slot, next, now);
    }

    private void Arm(ServiceSlot slot, DateTimeOffset? next, Moment now)
    {
        slot.NextRunAt = next;
        _deadlines.Set(CronKey(slot.Name), next is { } due ? now.Mono + (due - now.Wall) : null);
    }

    private void OnCronDue(ServiceSlot slot)
    {
        if (slot.Definition.Kind is not DefinitionKind.Job job || slot.NextRunAt is not { } due) return;
        Moment now = _clock.Now();
        CronDecision decision = CronPlanner.OnTimer(job, _zone, due, now.Wall, slot.LastFired);
        switch (decision)
        {
            case CronDecision.Fire fire:
                slot.LastFired = fire.Occurrence;
                RunScheduled(slot, fire.Occurrence);
                break;
            case CronDecision.Missed missed:
                slot.LastFired = now.Wall;
                _journal.Append("schedule", slot.Name,
                    $"{missed.Count} occurrence(s) from {missed.First.ToLocalTime():yyyy-MM-dd HH:mm:ss} on were missed (daemon down, host suspended or clock stepped forward); skipped, not run late");
                break;
        }
        Arm(slot, decision.Next, now);
        StateChanged?.Invoke();
    }

    private void RunScheduled(ServiceSlot slot, DateTimeOffset occurrence)
    {
        string when = occurrence.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        if (!slot.Definition.Enabled)
        {
            _journal.Append("schedule", slot.Name, $"run due at {when} skipped: the job is disabled");
            return;
        }
        if (slot.Runtime.State != ServiceState.Idle || slot.Runtime.Populated)
        {
            _journal.Append("schedule", slot.Name, $"run due at {when} skipped: the previous run is still {slot.Runtime.PhaseOf().Name()} (runs never overlap)");
            return;
        }
        _journal.Append("schedule", slot.Name, $"run due at {when}");
        Feed(slot, new StartRequested(Requester.Schedule));
    }
}
