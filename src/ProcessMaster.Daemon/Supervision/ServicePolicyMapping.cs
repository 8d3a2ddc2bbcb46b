using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Restart;
using ConfigKind = ProcessMaster.Core.Config.Model.ServiceKind;
using ConfigRestart = ProcessMaster.Core.Config.Model.RestartPolicy;
using CoreRestart = ProcessMaster.Core.Restart.RestartPolicy;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>From a validated definition to the settings the pure state machine needs.</summary>
internal static class ServicePolicyMapping
{
    public static ServicePolicy From(ServiceDefinition definition, FlagRuleSet rules)
    {
        var policy = new ServicePolicy
        {
            Enabled = definition.Enabled,
            StopGrace = definition.Process.StopGracePeriod.TimeSpan,
            StopSignal = definition.Process.Stop is StopMethod.BySignal s ? s.Signal.Number : ServicePolicy.Sigterm,
            HasStopCommand = definition.Process.Stop is StopMethod.ByCommand,
            FlagRules = rules,
        };
        return definition.Kind switch
        {
            ConfigKind.Job job => policy with
            {
                Kind = Core.Lifecycle.ServiceKind.Job,
                MaxRunTime = job.MaxTimePerRun?.TimeSpan,
                Restart = CoreRestart.Never,
            },
            ConfigKind.LongRunning service => policy with { Kind = Core.Lifecycle.ServiceKind.Service, Restart = Restart(service.Restart) },
            _ => throw new ArgumentOutOfRangeException(nameof(definition), definition.Kind, "unknown service kind"),
        };
    }

    private static CoreRestart Restart(ConfigRestart restart) => restart switch
    {
        ConfigRestart.Always a => new CoreRestart(RestartMode.Always, a.Backoff.TimeSpan, a.MaxRestarts, a.Window.TimeSpan),
        ConfigRestart.Never => CoreRestart.Never,
        _ => throw new ArgumentOutOfRangeException(nameof(restart), restart, "unknown restart policy"),
    };
}
