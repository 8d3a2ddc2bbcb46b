using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Config.Model;

namespace ProcessMaster.Core.Cron;

/// <summary>
/// How one job is planned: its schedule, its run window and how late or missed occurrences are treated.
/// Passed to every <see cref="CronPlanner"/> call, beside the <see cref="CronState"/> (as <c>ServicePolicy</c> is
/// passed beside <c>ServiceRuntime</c>); replace it on reload and keep the state.
/// </summary>
/// <param name="Schedule">The validated cron expression (evaluated in the zone passed to the planner).</param>
/// <param name="Window">not_before / not_after.</param>
public sealed record CronPolicy(Schedule Schedule, RunWindow Window)
{
    /// <summary>
    /// Opt-in: when occurrences were missed (host suspended, clock stepped forward, daemon down) and none is on
    /// time, run exactly one catch-up run for the latest of them, now, if now is still inside the window.
    /// Off (the default, as the original) skips them all and only reports them. Not yet a config key.
    /// </summary>
    public bool CatchUp { get; init; }

    /// <summary>
    /// How late an occurrence may be evaluated and still count as on time (timer latency, a busy loop, a
    /// small clock step). Later than this it is missed. Default <see cref="CronPlanner.DefaultGrace"/>.
    /// </summary>
    public TimeSpan Grace { get; init; } = CronPlanner.DefaultGrace;

    /// <summary>
    /// A wall clock set back by at most this much keeps the plan's progress, so no occurrence runs twice;
    /// set back further, the earlier clock is taken to have been wrong and the plan restarts from the new
    /// time. Default <see cref="CronPlanner.DefaultBackwardStepLimit"/>.
    /// </summary>
    public TimeSpan BackwardStepLimit { get; init; } = CronPlanner.DefaultBackwardStepLimit;

    /// <summary>The policy of a job definition: its schedule and window, default grace, no catch-up.</summary>
    public static CronPolicy For(RunMode.Job job) => new(job.Schedule, new RunWindow(job.NotBefore, job.NotAfter));
}
