using ProcessMaster.Core.Time;

namespace ProcessMaster.Core.Restart;

/// <summary>
/// What to do after a service crashed: a pure function of the crash history (which already includes the
/// crash being decided), the current moment and the policy. Later additions (exponential backoff with reset,
/// timed retry out of FAILED) change <see cref="RestartPolicy.DelayFor"/> and add a retry time to
/// <see cref="Failed"/>; callers keep matching on the same three outcomes.
/// </summary>
public abstract record RestartDecision
{
    private RestartDecision() { }

    /// <summary>Restart at <paramref name="Until"/>.</summary>
    /// <param name="Until">When the restart is due.</param>
    /// <param name="Attempt">Crashes counted in the window, this one included.</param>
    /// <param name="MaxRestarts">The tolerance.</param>
    public sealed record Backoff(Moment Until, int Attempt, int MaxRestarts) : RestartDecision;

    /// <summary>Give up: too many crashes within the window.</summary>
    /// <param name="Reason">Operator-readable: what was exceeded and what to do.</param>
    public sealed record Failed(string Reason) : RestartDecision;

    /// <summary>The policy says never restart.</summary>
    public sealed record NoRestart : RestartDecision;

    /// <summary>Decides after a crash at <paramref name="now"/> (already recorded in <paramref name="history"/>).</summary>
    public static RestartDecision After(RestartHistory history, Moment now, RestartPolicy policy)
    {
        if (policy.Mode == RestartMode.Never) return new NoRestart();
        int crashes = history.CountWithin(now, policy.Window);
        if (crashes > policy.MaxRestarts)
        {
            return new Failed($"{crashes} crashes within {DurationText.Format(policy.Window)} exceed " +
                $"restart_policy.tolerance.max_restarts ({policy.MaxRestarts}); not restarting until started by hand");
        }
        return new Backoff(now.Add(policy.DelayFor(crashes)), crashes, policy.MaxRestarts);
    }
}
