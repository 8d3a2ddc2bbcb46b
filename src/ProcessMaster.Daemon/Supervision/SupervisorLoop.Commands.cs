using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Rpc;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Operator and daemon commands, each run on the loop and answered when the service has got where the command
/// sends it: start → running (or the failure), stop → at rest with an empty cgroup, restart → running again.
/// A command from a client names it (<see cref="RpcCaller.Display"/>) in a <c>cmd</c> event per target (N-20).
/// </summary>
internal sealed partial class SupervisorLoop
{
    /// <summary>The keyword that targets every service.</summary>
    public const string All = "all";

    /// <summary>Starts one service or <c>all</c> (enabled ones unless <paramref name="force"/>; jobs run once).</summary>
    public Task<IReadOnlyList<ServiceOutcome>> StartAsync(string target, bool force, Requester by = Requester.Operator, RpcCaller? caller = null) =>
        CommandAsync(target, force, slot => new StartRequested(by, force), ReachedRunningOrGaveUp, Audit("start", force, caller));

    /// <summary>Stops one service or <c>all</c>; answers once its cgroup is empty. <paramref name="force"/> (or an operator
    /// stop of a service already stopping) writes <c>cgroup.kill</c> at once instead of waiting out the grace period.</summary>
    public Task<IReadOnlyList<ServiceOutcome>> StopAsync(string target, Requester by = Requester.Operator, RpcCaller? caller = null, bool force = false) =>
        CommandAsync(target, force: true, _ => new StopRequested(by, force), r => r.State.IsAtRest() && !r.Populated, Audit("stop", force, caller));

    /// <summary>
    /// Answers every caller still waiting for a service (shutdown): <paramref name="why"/> names what happens next. Nothing
    /// else changes: a stop under way stays under way, and the next daemon carries it on from the saved state.
    /// </summary>
    public Task<int> ReleaseWaitersAsync(string why) => InvokeAsync(() =>
    {
        int released = 0;
        foreach (ServiceSlot slot in _slots.Values)
        {
            foreach (StateWaiter waiter in slot.Waiters)
                if (waiter.Completion.TrySetResult(new ServiceOutcome(slot.Name, slot.Runtime, $"{why} (it is {slot.Runtime.PhaseOf().Name()} now)"))) released++;
            slot.Waiters.Clear();
        }
        return released;
    });

    /// <summary>Restarts one service or <c>all</c>: a full stop, then a start.</summary>
    public Task<IReadOnlyList<ServiceOutcome>> RestartAsync(string target, bool force, Requester by = Requester.Operator, RpcCaller? caller = null) =>
        CommandAsync(target, force, _ => new RestartRequested(by, force), ReachedRunningOrGaveUp, Audit("restart", force, caller), restart: true);

    /// <summary>The <c>cmd</c> event text for a client's command, or null for the daemon's own.</summary>
    private static string? Audit(string verb, bool force, RpcCaller? caller) =>
        caller is null ? null : $"{verb} requested by {caller.Display}{(force ? " (forced)" : "")}";

    private async Task<IReadOnlyList<ServiceOutcome>> CommandAsync(string target, bool force,
        Func<ServiceSlot, ServiceInput> input, Func<ServiceRuntime, bool> done, string? audit, bool restart = false)
    {
        Task<ServiceOutcome>[] waits = await InvokeAsync(() =>
        {
            IReadOnlyList<ServiceSlot> slots = Targets(target, force);
            var tasks = new List<Task<ServiceOutcome>>(slots.Count);
            foreach (ServiceSlot slot in slots)
            {
                if (audit is not null) _journal.Append("cmd", slot.Name, audit);
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
        return [.. outcomes.Select(Judge).OrderBy(o => o.Service, StringComparer.Ordinal)];
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
            ? outcome with { Error = outcome.Runtime.Detail ?? $"service \"{outcome.Service}\" did not start ({outcome.Runtime.State})" }
            : outcome;

    /// <summary>The services a command addresses: one by name, or <c>all</c> (enabled ones unless forced). Unknown names throw.</summary>
    private IReadOnlyList<ServiceSlot> Targets(string target, bool force)
    {
        if (target == All)
            return [.. _slots.Values.Where(s => !s.Removed && (force || s.Definition.Enabled)).OrderBy(s => s.Name, StringComparer.Ordinal)];
        if (_slots.TryGetValue(target, out ServiceSlot? slot) && !slot.Removed) return [slot];
        throw new UnknownServiceException(target);
    }

    /// <summary>
    /// Sets user flags (operator labels) on one service or on every service (<c>all</c>); they expire by one timer, not by
    /// sweeps. Refused as a whole, with nothing changed, when any target refuses (e.g. it would exceed 100 flags).
    /// </summary>
    public Task<UserFlagsOutcome> FlagAsync(string name, IReadOnlyList<string> flags, TimeSpan? ttl, RpcCaller caller) => InvokeAsync(() =>
    {
        DateTimeOffset now = _clock.SteadyWall();   // TTLs follow the monotonic clock, not clock steps
        string what = $"set {string.Join(',', flags)}{(ttl is { } t ? $" ttl={Core.Time.DurationText.Format(t)}" : "")} by {caller.Display}";
        return _userFlags.Change(Targets(name, force: true), name == All, slot => UserFlags.Set(slot.UserFlags, flags, now + ttl, now), what);
    });

    /// <summary>Removes user flags from one service or every service (<c>all</c>); absent ones are ignored.</summary>
    public Task<UserFlagsOutcome> UnflagAsync(string name, IReadOnlyList<string> flags, RpcCaller caller) => InvokeAsync(() =>
    {
        DateTimeOffset now = _clock.SteadyWall();
        return _userFlags.Change(Targets(name, force: true), name == All, slot => UserFlags.Unset(slot.UserFlags, flags, now), $"unset {string.Join(',', flags)} by {caller.Display}");
    });

    /// <summary>Adds a service (boot or reload). Its runtime may come from persisted state.</summary>
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
