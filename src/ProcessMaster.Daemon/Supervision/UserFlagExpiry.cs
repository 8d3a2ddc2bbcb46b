using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Time;
using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// User flags (operator labels) and their expiry: a change is applied to all its targets or to none, and flags
/// expire by one deadline per service (the earliest expiry), never by sweeps. A collaborator of the
/// <see cref="SupervisorLoop"/>, on its thread.
/// </summary>
/// <param name="changed">Tells the loop that something worth persisting changed.</param>
internal sealed class UserFlagExpiry(DaemonClock clock, DeadlineSchedule deadlines, EventJournal journal, Action changed)
{
    /// <summary>
    /// Applies <paramref name="change"/> to every slot of <paramref name="slots"/>, or to none when any of them refuses
    /// (e.g. it would exceed 100 flags); <paramref name="all"/> says the command named every service.
    /// </summary>
    public UserFlagsOutcome Change(IReadOnlyList<ServiceSlot> slots, bool all, Func<ServiceSlot, UserFlagUpdate> change, string what)
    {
        var updates = new List<(ServiceSlot Slot, UserFlagUpdate Update)>(slots.Count);
        foreach (ServiceSlot slot in slots)
        {
            UserFlagUpdate update = change(slot);
            if (update.Error is not null)
                return new UserFlagsOutcome([], all ? $"service {slot.Name}: {update.Error}; no service was changed" : update.Error);
            updates.Add((slot, update));
        }
        // Only a real change is saved (and waited for by the command): unflagging a flag that is not set changes nothing.
        bool any = updates.Exists(u => !u.Update.Flags.Equals(u.Slot.UserFlags));
        foreach ((ServiceSlot slot, UserFlagUpdate update) in updates) Apply(slot, update, what);
        if (any) changed();
        return new UserFlagsOutcome([.. updates.Select(u => (u.Slot.Name, u.Update.Flags))], null);
    }

    /// <summary>Arms the deadline for the earliest expiry of <paramref name="slot"/>'s flags (or clears it).</summary>
    public void Arm(ServiceSlot slot)
    {
        TimeSpan? due = null;
        if (slot.UserFlags.NextExpiry is { } at)
        {
            // TTLs follow the monotonic clock (DaemonClock.SteadyWall), so a wall-clock step neither hastens nor delays them.
            due = clock.Mono() + (at - clock.SteadyWall());
        }
        deadlines.Set(DeadlineKey.UserFlags(slot.Name), due);
    }

    /// <summary>The expiry deadline passed: drops the expired flags, says so, and arms for the next expiry.</summary>
    public void OnDue(ServiceSlot slot)
    {
        slot.UserFlags = slot.UserFlags.Prune(clock.SteadyWall(), out IReadOnlyList<string> expired);
        foreach (string flag in expired) journal.Append("flag", slot.Name, $"user flag {flag} expired");
        Arm(slot);
        if (expired.Count > 0) changed();
    }

    private void Apply(ServiceSlot slot, UserFlagUpdate update, string what)
    {
        slot.UserFlags = update.Flags;
        foreach (string expired in update.Expired) journal.Append("flag", slot.Name, $"user flag {expired} expired");
        journal.Append("flag", slot.Name, $"user flags {what}: now {(update.Flags.Count == 0 ? "(none)" : update.Flags.ToString())}");
        Arm(slot);
    }
}
