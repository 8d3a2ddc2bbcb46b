using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Definitions;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>Reads and parses the master configuration file; a read failure is reported like a parse error.</summary>
internal sealed record MasterConfigLoad(string Path, MasterConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    /// <summary>Largest master configuration read (1 MiB).</summary>
    public const int MaxBytes = 1 << 20;

    public static MasterConfigLoad FromFile(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists)
                return Failed(full, "the configuration file does not exist", "pass the right file with -c FILE (default ./config.yaml)");
            if (info.Length > MaxBytes)
                return Failed(full, $"{info.Length} bytes is over the {MaxBytes}-byte limit", "a master configuration is a few kilobytes; check the path");
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed(full, $"cannot read it: {e.Message}", "check the path and its permissions");
        }
        ConfigResult<MasterConfig> result = MasterConfigParser.Parse(full, text);
        return new MasterConfigLoad(full, result.IsValid ? result.Value : null, result.Errors);
    }

    /// <summary>Discovery options for this configuration.</summary>
    public DiscoveryOptions DiscoveryOptions(bool dryRun, Linux.Spawn.ChildProcessRegistry? children = null)
    {
        MasterConfig config = Config ?? throw new InvalidOperationException("the master configuration did not load");
        return new DiscoveryOptions(Path, config.Global.ConfigDirectory, config.Global.AutoServiceDirectory,
            new ServiceParseContext(config.Global.AutoServiceDirectory, config.Global.DefaultServiceUser, config.Global.DefaultServiceGroup,
                config.Global.AllowProvisioningOutsideWorkingDirectory),
            dryRun) { Children = children };
    }

    private static MasterConfigLoad Failed(string path, string problem, string fix) =>
        new(path, null, [new ConfigError(path, 0, 0, "", problem, fix)]);
}
