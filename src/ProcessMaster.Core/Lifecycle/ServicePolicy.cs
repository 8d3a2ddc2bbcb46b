using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Restart;

namespace ProcessMaster.Core.Lifecycle;

/// <summary>
/// The per-service settings <see cref="ServiceLifecycle.Decide"/> needs, made from the validated definition by
/// <see cref="For"/> (as <see cref="Cron.CronPolicy.For"/> makes a job's cron policy).
/// </summary>
public sealed record ServicePolicy
{
    /// <summary>Service or cron job.</summary>
    public ServiceKind Kind { get; init; } = ServiceKind.Service;

    /// <summary><c>global.enabled</c>: a disabled service is never started automatically and refuses unforced starts.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Restart policy (services only).</summary>
    public RestartPolicy Restart { get; init; } = RestartPolicy.Default;

    /// <summary>How long the shell may take to report the outcome of a spawn.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>stop_grace_period_ms</c>: from the stop signal (or stop_command) to <c>cgroup.kill</c>.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>stop_signal</c> (used when there is no stop_command); SIGTERM by default.</summary>
    public Signal StopSignal { get; init; } = Signal.Term;

    /// <summary>A <c>stop_command</c> is configured (it replaces the stop signal).</summary>
    public bool HasStopCommand { get; init; }

    /// <summary>How long to wait for the cgroup to empty after <c>cgroup.kill</c> before reporting a stall.</summary>
    public TimeSpan KillTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>max_time_per_run</c> of a job, or null for none.</summary>
    public TimeSpan? MaxRunTime { get; init; }

    /// <summary>The system-flag rules in force (daemon-wide).</summary>
    public FlagRuleSet FlagRules { get; init; } = FlagRuleSet.Embedded;

    /// <summary>Defaults: an enabled service, restart always / 1 s / 3 in 3 min, grace 5 s, SIGTERM.</summary>
    public static ServicePolicy Default { get; } = new();

    /// <summary>The policy of a validated definition under the daemon-wide flag <paramref name="rules"/>.</summary>
    public static ServicePolicy For(ServiceDefinition definition, FlagRuleSet rules)
    {
        var policy = new ServicePolicy
        {
            Enabled = definition.Enabled,
            StopGrace = definition.Process.StopGracePeriod.TimeSpan,
            StopSignal = definition.Process.Stop is StopMethod.BySignal s ? s.Signal : Signal.Term,
            HasStopCommand = definition.Process.Stop is StopMethod.ByCommand,
            FlagRules = rules,
        };
        return definition.RunMode switch
        {
            RunMode.Job job => policy with { Kind = ServiceKind.Job, MaxRunTime = job.MaxTimePerRun?.TimeSpan, Restart = RestartPolicy.Never },
            RunMode.LongRunning service => policy with { Kind = ServiceKind.Service, Restart = service.Restart },
            _ => throw new ArgumentOutOfRangeException(nameof(definition), definition.RunMode, "unknown run mode"),
        };
    }
}
