using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;

namespace ProcessMaster.Core.Tests.Config;

/// <summary>Shared helpers: parse inline YAML and assert on errors.</summary>
internal static class ParseHelpers
{
    public const string MasterFile = "/etc/pm/config.yaml";
    public const string ServiceFile = "/etc/pm/config.d/web.yaml";

    public static ServiceParseContext Context { get; } = new("/srv/auto", "root", "root");

    public static ServiceParseContext NoAutoDir { get; } = new(null, "root", "root");

    /// <summary>Removes the common indentation of a raw string literal so YAML can be written indented in tests.</summary>
    public static string Yaml(string text) => text.Replace("\r\n", "\n");

    public static MasterConfig Master(string yaml)
    {
        ConfigResult<MasterConfig> r = MasterConfigParser.Parse(MasterFile, Yaml(yaml));
        Assert.True(r.IsValid, r.ToString());
        return r.Value;
    }

    public static ServiceDefinition Service(string yaml, ServiceParseContext? ctx = null, string file = ServiceFile)
    {
        ConfigResult<ServiceDefinition> r = ServiceDefinitionParser.Parse(file, Yaml(yaml), ctx ?? Context);
        Assert.True(r.IsValid, r.ToString());
        return r.Value;
    }

    public static ConfigError SingleError<T>(ConfigResult<T> r)
        where T : class
    {
        Assert.False(r.IsValid, "expected an error, but the file was valid");
        Assert.True(r.Errors.Count == 1, "expected exactly one error, got:\n" + r);
        return r.Errors[0];
    }
}
