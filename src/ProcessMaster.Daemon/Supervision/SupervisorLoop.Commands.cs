using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Operator and daemon commands, each run on the loop and answered when the service has got where the command
/// sends it: start → running (or the failure), stop → at rest with an empty cgroup, restart → running again.
/// </summary>
internal sealed partial class SupervisorLoop
{
    /// <summary>The keyword that targets every app.</summary>
    public const string All = "all";

    /// <summary>Starts one app or <c>all</c> (enabled ones unless <paramref name="force"/>; jobs run once).</summary>
    public Task<IReadOnlyList<ServiceOutcome>> StartAsync(string target, bool force, Requester by = Requester.Operator) =>
        CommandAsync(target, force, slot => new StartRequested(by, force), ReachedRunningOrGaveUp);

    /// <summary>Stops one app or <c>all</c>; answers once its cgroup is empty.</summary>
    public Task<IReadOnlyList<ServiceOutcome>> StopAsync(string target, Requester by = Requester.Operator) =>
        CommandAsync(target, force: true, _ => new StopRequested(by), r => r.State.IsAtRest() && !r.Populated);

    /// <summary>Restarts one app or <c>all</c>: a full stop, then a start.</summary>
    public Task<IReadOnlyList<ServiceOutcome>> RestartAsync(string target, bool force, Requester by = Requester.Operator) =>
        CommandAsync(target, force, _ => new RestartRequested(by, force), ReachedRunningOrGaveUp, restart: true);

    private async Task<IReadOnlyList<ServiceOutcome>> CommandAsync(string target, bool force,
        Func<ServiceSlot, ServiceInput> input, Func<ServiceRuntime, bool> done, bool restart = false)
    {
        Task<ServiceOutcome>[] waits = await InvokeAsync(() =>
        {
            IReadOnlyList<ServiceSlot> slots = Targets(target, force);
            var tasks = new List<Task<ServiceOutcome>>(slots.Count);
            foreach (ServiceSlot slot in slots)
            {
                // A restart must first leave Running; register the waiter after the input so it does not see the old state.
                ServiceInput request = input(slot);
                bool wasRunning = slot.Runtime.State == ServiceState.Running;
                Task<ServiceOutcome> wait = restart && wasRunning
                    ? WaitFor(slot, RestartedFrom(slot.Runtime.StartedAt))
                    : WaitFor(slot, done);
                Feed(slot, request);
                tasks.Add(wait);
            }
            return tasks.ToArray();
        }).ConfigureAwait(false);
        ServiceOutcome[] outcomes = await Task.WhenAll(waits).ConfigureAwait(false);
        return [.. outcomes.Select(Judge).OrderBy(o => o.App, StringComparer.Ordinal)];
    }

    private static Func<ServiceRuntime, bool> RestartedFrom(Core.Time.Moment? previousStart) =>
        r => (r.State == ServiceState.Running && r.StartedAt != previousStart) || GaveUp(r);

    private static bool ReachedRunningOrGaveUp(ServiceRuntime r) => r.State == ServiceState.Running || GaveUp(r);

    /// <summary>
    /// A start ended without a running instance: Failed, Backoff, or back at rest after a failed spawn (a job goes
    /// Idle; a disabled service started with --force goes Stopped, since it is never restarted).
    /// </summary>
    private static bool GaveUp(ServiceRuntime r) =>
        r.State is ServiceState.Failed or ServiceState.Backoff
        || (r.State is ServiceState.Idle or ServiceState.Stopped && r.Pending is null && r.Result == ServiceResult.SpawnFailed);

    /// <summary>A start that ended in Backoff, Failed or a failed job spawn is an error for the caller, with Decide's detail.</summary>
    private static ServiceOutcome Judge(ServiceOutcome outcome) =>
        outcome.Error is null && GaveUp(outcome.Runtime)
            ? outcome with { Error = outcome.Runtime.Detail ?? $"service \"{outcome.App}\" did not start ({outcome.Runtime.State})" }
            : outcome;

    /// <summary>The apps a command addresses: one by name, or <c>all</c> (enabled ones unless forced). Unknown names throw.</summary>
    private IReadOnlyList<ServiceSlot> Targets(string target, bool force)
    {
        if (target == All)
            return [.. _slots.Values.Where(s => !s.Removed && (force || s.Definition.Enabled)).OrderBy(s => s.Name, StringComparer.Ordinal)];
        if (_slots.TryGetValue(target, out ServiceSlot? slot) && !slot.Removed) return [slot];
        throw new UnknownServiceException(target);
    }

    /// <summary>Sets user flags (operator labels) on an app; they expire by one timer, not by sweeps.</summary>
    public Task<UserFlagUpdate> FlagAsync(string name, IReadOnlyList<string> flags, TimeSpan? ttl) => InvokeAsync(() =>
    {
        ServiceSlot slot = Targets(name, force: true).Single();
        DateTimeOffset now = _clock.Now().Wall;
        UserFlagUpdate update = UserFlags.Set(slot.UserFlags, flags, now + ttl, now);
        if (update.Error is null) ApplyUserFlags(slot, update, "set " + string.Join(',', flags) + (ttl is { } t ? $" ttl={Core.Time.DurationText.Format(t)}" : ""));
        return update;
    });

    /// <summary>Removes user flags.</summary>
    public Task<UserFlagUpdate> UnflagAsync(string name, IReadOnlyList<string> flags) => InvokeAsync(() =>
    {
        ServiceSlot slot = Targets(name, force: true).Single();
        UserFlagUpdate update = UserFlags.Unset(slot.UserFlags, flags, _clock.Now().Wall);
        if (update.Error is null) ApplyUserFlags(slot, update, "unset " + string.Join(',', flags));
        return update;
    });

    private void ApplyUserFlags(ServiceSlot slot, UserFlagUpdate update, string what)
    {
        slot.UserFlags = update.Flags;
        foreach (string expired in update.Expired) _journal.Append("flag", slot.Name, $"user flag {expired} expired");
        _journal.Append("flag", slot.Name, $"user flags {what}: now {(update.Flags.Count == 0 ? "(none)" : update.Flags.ToString())}");
        ArmUserFlagExpiry(slot);
        StateChanged?.Invoke();
    }

    private void ArmUserFlagExpiry(ServiceSlot slot)
    {
        TimeSpan? due = null;
        if (slot.UserFlags.NextExpiry is { } at)
        {
            Core.Time.Moment now = _clock.Now();
            due = now.Mono + (at - now.Wall);
        }
        _deadlines.Set(UserFlagKey(slot.Name), due);
    }

    private void PruneUserFlags(ServiceSlot slot)
    {
        slot.UserFlags = slot.UserFlags.Prune(_clock.Now().Wall, out IReadOnlyList<string> expired);
        foreach (string flag in expired) _journal.Append("flag", slot.Name, $"user flag {flag} expired");
        ArmUserFlagExpiry(slot);
        if (expired.Count > 0) StateChanged?.Invoke();
    }

    /// <summary>Adds an app (boot or reload). Its runtime may come from persisted state.</summary>
    internal ServiceSlot Add(ServiceDefinition definition, ServicePolicy policy, ServiceRuntime runtime)
    {
        var slot = new ServiceSlot(definition, policy, runtime);
        _slots.Add(slot.Name, slot);
        return slot;
    }
}

/// <summary>A command named a service that is not defined.</summary>
internal sealed class UnknownServiceException(string name)
    : Exception($"unknown service \"{name}\"; `pmctl status` lists the defined services")
{
    public string Name { get; } = name;
}
