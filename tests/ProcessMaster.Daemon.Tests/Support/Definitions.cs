using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;
using ProcessMaster.Daemon.Supervision;

namespace ProcessMaster.Daemon.Tests.Support;

/// <summary>Service definitions from inline YAML, and loop slots built on them, as the daemon builds them at boot.</summary>
internal static class Definitions
{
    /// <summary>Parses one definition file <c>NAME.yaml</c> in <paramref name="directory"/>; fails the test when it is invalid.</summary>
    public static ServiceDefinition Parse(string name, string yaml, string directory = "/etc/pm/config.d")
    {
        ConfigResult<ServiceDefinition> r = ServiceDefinitionParser.Parse(Path.Combine(directory, name + ".yaml"), yaml,
            new ServiceParseContext(null, "root", "root"));
        Assert.True(r.IsValid, r.ToString());
        return r.Value;
    }

    /// <summary>A long-running service that runs <c>sleep</c> in /tmp.</summary>
    public static ServiceDefinition Service(string name) => Parse(name, """
        process:
          working_directory: /tmp
          start_command: ["sleep", "600"]
        """);

    /// <summary>A slot for <paramref name="definition"/> with the embedded flag rules, at rest at <paramref name="now"/>.</summary>
    public static ServiceSlot Slot(ServiceDefinition definition, Moment now)
    {
        ServicePolicy policy = ServicePolicy.For(definition, FlagRuleSet.Embedded);
        return new ServiceSlot(definition, policy, ServiceRuntime.New(policy.Kind, now));
    }
}
