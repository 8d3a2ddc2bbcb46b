using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Definitions;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>Reads and parses the master configuration file; a read failure is reported like a parse error.</summary>
/// <param name="Path">The file, made absolute.</param>
/// <param name="Config">The validated configuration; null when it has problems.</param>
/// <param name="Errors">Every problem.</param>
/// <param name="Partial">The configuration as far as it was read, defaults in place of bad values; only for
/// <c>--check</c> (see <see cref="CheckOptions"/>).</param>
internal sealed record MasterConfigLoad(string Path, MasterConfig? Config, IReadOnlyList<ConfigError> Errors, MasterConfig? Partial = null)
{
    /// <summary>Largest master configuration read (1 MiB).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>Keys that decide where definitions are found and how they are read: a problem in one of them
    /// means definitions cannot be checked against a partly read configuration.</summary>
    private static readonly string[] DiscoveryKeys =
        ["", "global", "global.config_directory", "global.auto_service_directory", "global.default_service_user", "global.default_service_group"];

    public static MasterConfigLoad FromFile(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists)
                return Failed(full, "the configuration file does not exist", "pass the right file with -c FILE (default ./config.yaml)");
            if (info.Length > MaxBytes)
                return Failed(full, $"{info.Length} bytes is over the {MaxBytes}-byte limit", "a master configuration is a few kilobytes; check the path");
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed(full, $"cannot read it: {e.Message}", "check the path and its permissions");
        }
        if (!ConfigText.TryDecode(full, bytes, out string text, out ConfigError? problem))
            return new MasterConfigLoad(full, null, [problem]);
        ConfigResult<MasterConfig> result = MasterConfigParser.Parse(full, text, ServiceAccount.Check);
        return new MasterConfigLoad(full, result.IsValid ? result.Value : null, result.Errors, result.Partial);
    }

    /// <summary>Discovery options for this configuration.</summary>
    public DiscoveryOptions DiscoveryOptions(bool dryRun, Linux.Spawn.ChildProcessRegistry? children = null) =>
        OptionsFor(Config ?? throw new InvalidOperationException("the master configuration did not load"), dryRun, children);

    /// <summary>
    /// Dry-run options for <c>--check</c>: from the configuration, or, when it has problems that do not concern
    /// where and how definitions are read, from the partly read one, so every problem is reported in one run.
    /// Null when the definitions cannot be found.
    /// </summary>
    public DiscoveryOptions? CheckOptions()
    {
        if (Config is { } config) return OptionsFor(config, dryRun: true, children: null);
        bool usable = Partial is not null && !Errors.Any(e => DiscoveryKeys.Contains(e.KeyPath, StringComparer.Ordinal));
        return usable ? OptionsFor(Partial!, dryRun: true, children: null) : null;
    }

    private DiscoveryOptions OptionsFor(MasterConfig config, bool dryRun, Linux.Spawn.ChildProcessRegistry? children) =>
        new(Path, config.Global.ConfigDirectory, config.Global.AutoServiceDirectory,
            new ServiceParseContext(config.Global.AutoServiceDirectory, config.Global.DefaultServiceUser, config.Global.DefaultServiceGroup,
                config.Global.AllowProvisioningOutsideWorkingDirectory)
            {
                Accounts = ServiceAccount.Check,
            },
            dryRun) { Children = children };

    private static MasterConfigLoad Failed(string path, string problem, string fix) =>
        new(path, null, [new ConfigError(path, 0, 0, "", problem, fix)]);
}
