using ProcessMaster.Core.Config.FileModel;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Parsing;
using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config;

/// <summary>
/// Parses and validates the master config (reference §1, SPEC §3). Pure: the caller reads the file.
/// Every problem is reported with file, line, column and key path.
/// </summary>
public static partial class MasterConfigParser
{
    /// <summary>
    /// The default of <c>global.default_service_user</c>: generated auto-services run as <c>nobody</c>, never as root
    /// by default (audit N-14).
    /// </summary>
    public const string DefaultServiceUser = "nobody";

    /// <summary>Parses <paramref name="yamlText"/>, the content of <paramref name="filePath"/>.
    /// Relative paths in the file are resolved against the directory of <paramref name="filePath"/>.
    /// <paramref name="accounts"/>, when given, checks that auto-services can run as
    /// <c>global.default_service_user</c>/<c>default_service_group</c>.</summary>
    public static ConfigResult<MasterConfig> Parse(string filePath, string yamlText, AccountCheck? accounts = null)
    {
        var d = new ConfigDiagnostics(filePath);
        ConfigNode? root = YamlTreeReader.Read(yamlText, d);
        if (root is null)
        {
            return d.Result<MasterConfig>(null);
        }

        MasterConfigFile? file = FileModelBinder.Bind<MasterConfigFile>(root, YamlSchema.MasterConfig, d);
        if (file is null)
        {
            return d.Result<MasterConfig>(null);
        }

        string baseDir = Path.GetDirectoryName(filePath) ?? "";
        GlobalSettings global = ReadGlobal(file.Global, baseDir, d);
        if (accounts?.Invoke(global.DefaultServiceUser, global.DefaultServiceGroup) is { } problem)
        {
            // The lookup's fix names the definition keys; here the master's keys are the ones to fix.
            string text = problem.Text.Replace("process.user", "global.default_service_user", StringComparison.Ordinal)
                .Replace("process.group", "global.default_service_group", StringComparison.Ordinal);
            ServiceDefinitionParser.ReportAccount(d, "global.default_service_user", "global.default_service_group",
                $"auto-services cannot run as user \"{global.DefaultServiceUser}\"", problem with { Text = text });
        }

        var config = new MasterConfig(
            filePath,
            ReadCgroup(file.Cgroup, d),
            ReadUnixSocket(file.UnixSocket, baseDir, d),
            global,
            ReadWebConsole(file.WebConsole, baseDir, d),
            ReadAdminActions(file.AdminActions, d));
        return d.Result(config);
    }

    private static CgroupSettings ReadCgroup(CgroupSection? s, ConfigDiagnostics d)
    {
        CgroupSettings def = CgroupSettings.Default;
        if (s is null)
        {
            return def;
        }

        string? root = ValueReader.NonBlank(d, "cgroup.root", s.Root, "omit cgroup.root to find the cgroup2 mount automatically");
        if (root is not null && !root.StartsWith('/'))
        {
            d.At("cgroup.root", $"\"{root}\" is not an absolute path", "write an absolute path such as /sys/fs/cgroup, or omit it to find the cgroup2 mount automatically");
            root = null;
        }

        return new CgroupSettings(
            root is null ? null : LexicalPath.Normalize(root),
            ReadCgroupName(s.Name, d) ?? def.Name,
            ReadMasterMemoryMax(ValueReader.Parse(d, "cgroup.memory_max", s.MemoryMax, MemoryLimit.TryParse, def.MemoryMax, ServiceDefinitionParser.MemoryFix), d),
            ValueReader.Parse(d, "cgroup.memory_swap_max", s.MemorySwapMax, MemoryLimit.TryParse, def.MemorySwapMax, ServiceDefinitionParser.MemoryFix),
            ValueReader.Parse(d, "cgroup.cpu_max", s.CpuMax, CpuQuota.TryParse, def.CpuMax, ServiceDefinitionParser.CpuFix),
            s.SubtreeControlAllow ?? def.SubtreeControlAllow);
    }

    /// <summary>The least <c>cgroup.memory_max</c> accepted: the daemon itself runs in the master cgroup, so less starves it and every service.</summary>
    public static readonly ByteSize MinMasterMemory = new(16UL << 20);

    private static MemoryLimit ReadMasterMemoryMax(MemoryLimit limit, ConfigDiagnostics d)
    {
        if (limit.IsMax || limit.Size.Bytes >= MinMasterMemory.Bytes)
        {
            return limit;
        }

        d.At("cgroup.memory_max", $"memory_max {limit.Size.Display} would starve the daemon (it runs in the master cgroup) and every service",
            $"use MAX, or at least {MinMasterMemory.Display} (a bare number is bytes: write 512MiB, not 512)");
        return CgroupSettings.Default.MemoryMax;
    }

    private static string? ReadCgroupName(string? text, ConfigDiagnostics d)
    {
        const string path = "cgroup.name";
        if (text is null)
        {
            return null;
        }

        string name = text.Trim().TrimStart('/');
        if (name.Length == 0)
        {
            d.At(path, "cgroup.name is empty", "omit it for the default \"processmaster\", or name a cgroup such as processmaster or system.slice/pm");
            return null;
        }

        foreach (string segment in name.TrimEnd('/').Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                d.At(path, $"cgroup.name \"{text.Trim()}\" has {(segment.Length == 0 ? "an empty" : $"a \"{segment}\"")} path segment",
                    "use a relative path of plain names below cgroup.root, e.g. processmaster or system.slice/pm");
                return null;
            }
        }

        return name.TrimEnd('/');
    }

    private static UnixSocketSettings ReadUnixSocket(UnixSocketSection? s, string baseDir, ConfigDiagnostics d)
    {
        UnixSocketSettings def = UnixSocketSettings.Default;
        if (s is null)
        {
            return def with { Path = LexicalPath.Resolve(baseDir, def.Path) };
        }

        string path = ValueReader.NonBlank(d, "unix_socket.path", s.Path, $"omit it for the default {UnixSocketSettings.DefaultPath}") ?? def.Path;
        return new UnixSocketSettings(
            LexicalPath.Resolve(baseDir, path),
            ReadOwnerName(d, "unix_socket.owner", s.Owner, def.Owner),
            ReadOwnerName(d, "unix_socket.group", s.Group, def.Group),
            ReadMode(d, "unix_socket.mode", s.Mode) ?? def.Mode);
    }

    /// <summary>Owner/group names: absent = default, explicit null = "leave unchanged", blank = error.</summary>
    private static string? ReadOwnerName(ConfigDiagnostics d, string path, string? text, string? fallback)
    {
        if (d.Index.IsExplicitNull(path))
        {
            return null;
        }

        return ValueReader.NonBlank(d, path, text, "write a name, or null to leave it unchanged") ?? fallback;
    }

    /// <summary>An octal mode key; rejects YAML booleans, which have no mode meaning.</summary>
    internal static OctalMode? ReadMode(ConfigDiagnostics d, string path, string? text)
    {
        if (text is null || text.Trim().Length == 0)
        {
            return null;
        }

        if (ValueReader.IsPlainBool(d, path))
        {
            d.At(path, $"mode must be an octal number, found the boolean {text}", "write the mode in octal, e.g. 0660 or \"0660\"");
            return null;
        }

        return ValueReader.Parse<OctalMode?>(d, path, text, TryParseMode, null, "write the mode in octal, e.g. 0640 or \"0640\" (at most 07777)");
    }

    private static bool TryParseMode(string text, out OctalMode? value, out string error)
    {
        bool ok = OctalMode.TryParse(text, out OctalMode mode, out error);
        value = ok ? mode : null;
        return ok;
    }

    private static GlobalSettings ReadGlobal(MasterGlobalSection? s, string baseDir, ConfigDiagnostics d)
    {
        if (s is null)
        {
            if (d.Index.Has("global"))
            {
                d.AtKey("global", "global is empty; it must define at least one of: config_directory, auto_service_directory",
                    "add config_directory: config.d (service files) and/or auto_service_directory: (one directory per service)");
            }
            else
            {
                d.At("global", "missing required section global", "add global: with config_directory and/or auto_service_directory");
            }

            s = new MasterGlobalSection();
        }
        else if (s.ConfigDirectory is null && s.AutoServiceDirectory is null)
        {
            d.AtKey("global", "global must define at least one of: config_directory, auto_service_directory",
                "add config_directory: config.d (service files) and/or auto_service_directory: (one directory per service)");
        }

        const string dirFix = "write a directory path (relative paths are relative to this file)";
        string configDir = LexicalPath.Resolve(baseDir, ValueReader.NonBlank(d, "global.config_directory", s.ConfigDirectory, dirFix) ?? "config.d");
        string? autoDir = ValueReader.NonBlank(d, "global.auto_service_directory", s.AutoServiceDirectory, dirFix + ", or remove the key");
        const string userFix = "write a name, or remove the key";
        return new GlobalSettings(
            configDir,
            autoDir is null ? null : LexicalPath.Resolve(baseDir, autoDir),
            ValueReader.NonBlank(d, "global.user", s.User, userFix),
            ValueReader.NonBlank(d, "global.group", s.Group, userFix),
            ValueReader.NonBlank(d, "global.default_service_user", s.DefaultServiceUser, $"use null for the default \"{DefaultServiceUser}\"") ?? DefaultServiceUser,
            ValueReader.NonBlank(d, "global.default_service_group", s.DefaultServiceGroup, "use null for the default: the user's primary group"),
            s.AllowProvisioningOutsideWorkingDirectory ?? false,
            s.StopServicesOnShutdown ?? false,
            ResolveFile(d, "global.state_file", s.StateFile, baseDir, Path.Combine(configDir, "appstate.json")),
            ResolveFile(d, "global.flag_rules_file", s.FlagRulesFile, baseDir, Path.Combine(configDir, "flag_rules.json")),
            ResolveFile(d, "global.log_file", s.LogFile, baseDir, LexicalPath.Resolve(baseDir, "logs/processmaster.log")));
    }

    private static string ResolveFile(ConfigDiagnostics d, string path, string? text, string baseDir, string fallback)
    {
        string? value = ValueReader.NonBlank(d, path, text, "write a file path (relative paths are relative to this file), or remove the key for the default");
        return value is null ? fallback : LexicalPath.Resolve(baseDir, value);
    }
}
