using System.Text;
using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Names;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Definitions;

/// <summary>
/// Finds and loads service definitions: the YAML files directly in <c>global.config_directory</c> and the
/// direct child directories of <c>global.auto_service_directory</c>. A definition that fails to load is
/// reported and skipped; the loader itself never fails. Symlinks are never followed, files over
/// <see cref="MaxFileBytes"/> are refused, and a definition someone other than root (or the daemon's user) could
/// have written is refused (<see cref="DefinitionTrust"/>). Each loaded definition must name a user the daemon can
/// run it as (<see cref="ServiceIdentity"/>) and only provisioning the daemon can carry out.
/// </summary>
public sealed class DefinitionDiscovery
{
    /// <summary>Largest definition file read (1 MiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Most definitions loaded from one directory.</summary>
    public const int MaxDefinitions = 10_000;

    /// <summary>Marker file in an auto-service directory: back up its service.yml and write the defaults again.</summary>
    public const string RegenerateMarker = ".regen_pm_config";

    private const string DisabledSuffix = ".disabled";

    private readonly DiscoveryOptions _options;
    private readonly DefinitionTrust _trust;
    private readonly List<ConfigError> _problems = [];
    private readonly List<string> _notes = [];

    private DefinitionDiscovery(DiscoveryOptions options)
    {
        _options = options;
        _trust = new DefinitionTrust(options.Identity.Uid);
    }

    /// <summary>
    /// Loads every definition the options point at and, unless <see cref="DiscoveryOptions.DryRun"/>, writes what
    /// discovery produces: generated <c>service.yml</c> files and their backups (removing <c>.regen_pm_config</c>),
    /// and the provisioning of each loaded definition. Never throws for a bad file or directory.
    /// </summary>
    public static DiscoveredDefinitions LoadAndProvision(DiscoveryOptions options)
    {
        var discovery = new DefinitionDiscovery(options);
        return discovery.Run();
    }

    private DiscoveredDefinitions Run()
    {
        var found = new List<ServiceDefinition>();
        if (_options.ConfigDirectory is { } configDirectory) found.AddRange(LoadConfigDirectory(configDirectory));
        if (_options.AutoServiceDirectory is { } autoDirectory) found.AddRange(LoadAutoServices(autoDirectory));

        // A name defined twice is an error naming both files; neither definition wins.
        var loaded = new List<ServiceDefinition>();
        foreach (var group in found.GroupBy(d => d.Name.Value, StringComparer.Ordinal))
        {
            if (group.Count() == 1)
            {
                loaded.Add(group.First());
                continue;
            }
            string files = string.Join(" and ", group.Select(d => d.SourceFile));
            foreach (ServiceDefinition duplicate in group)
            {
                _problems.Add(FileProblem(duplicate.SourceFile, "application",
                    $"service \"{group.Key}\" is defined more than once ({files}); none of them is loaded",
                    "give each definition its own application name, or remove one of the files"));
            }
        }
        loaded.Sort((a, b) => string.CompareOrdinal(a.Name.Value, b.Name.Value));
        return new DiscoveredDefinitions(loaded, _problems, _notes);
    }

    private IEnumerable<ServiceDefinition> LoadConfigDirectory(string path)
    {
        using ConfinedDirectory? directory = OpenListedDirectory(path, "global.config_directory");
        if (directory is null) yield break;
        string? directoryDistrust = _trust.Distrust(directory.Status(), path);
        int count = 0;
        foreach (string name in directory.List())
        {
            string extension = System.IO.Path.GetExtension(name);
            if (!extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) && !extension.Equals(".yml", StringComparison.OrdinalIgnoreCase))
                continue;
            string file = System.IO.Path.Join(path, name);
            if (directoryDistrust is not null)
            {
                _problems.Add(_trust.Refusal(file, path, directoryDistrust, path));
                continue;
            }
            EntryKind kind = directory.KindOf(name);
            if (kind == EntryKind.Symlink)
            {
                _problems.Add(FileProblem(file, "", "is a symlink; definition files are never followed through links",
                    "copy the file into the directory instead of linking it"));
                continue;
            }
            if (kind != EntryKind.File)
            {
                // Never opened (a FIFO would block a reader): named like a definition, so say why it is not one.
                _problems.Add(FileProblem(file, "", $"is {(kind == EntryKind.Directory ? "a directory" : "not a regular file (a FIFO, socket or device)")}; not loaded",
                    "definitions are regular files; rename it without the .yaml/.yml extension or move it out of the directory"));
                continue;
            }
            if (++count > MaxDefinitions)
            {
                _problems.Add(FileProblem(path, "global.config_directory", $"more than {MaxDefinitions} definition files; the rest are not loaded",
                    "split the services across hosts or remove unused definitions"));
                yield break;
            }
            if (ReadAndParse(directory, name, file, path) is not { } definition) continue;
            if (!Directory.Exists(definition.Process.WorkingDirectory))
            {
                _problems.Add(FileProblem(file, "process.working_directory",
                    $"working directory {definition.Process.WorkingDirectory} does not exist; service \"{definition.Name}\" is not loaded",
                    "create the directory, or point process.working_directory at an existing one"));
                continue;
            }
            if (!Provision(definition)) continue;
            yield return definition;
        }
    }

    /// <summary>Applies the definition's provisioning (unless dry-run); false when it failed and the service must not load.</summary>
    private bool Provision(ServiceDefinition definition)
    {
        if (definition.Provisioning.Count == 0) return true;
        if (_options.DryRun || _options.Children is null)
        {
            if (!Path.Exists(Path.Join(definition.Process.WorkingDirectory, Provisioner.MarkerName)))
                _notes.Add($"{definition.SourceFile}: provisioning of {definition.Process.WorkingDirectory} would run ({definition.Provisioning.Count} entries)");
            return true;
        }
        switch (Provisioner.Apply(definition, _options.Children))
        {
            case ProvisioningOutcome.Applied applied:
                foreach (string action in applied.Actions) _notes.Add($"service \"{definition.Name}\": provisioned {action}");
                return true;
            case ProvisioningOutcome.Failed failed:
                _problems.Add(FileProblem(definition.SourceFile, "provisioning", failed.Message + "; the service is not loaded", "fix the entry or the file system, then run `pmctl update`"));
                return false;
            default:
                return true;
        }
    }

    private IEnumerable<ServiceDefinition> LoadAutoServices(string path)
    {
        using ConfinedDirectory? directory = OpenListedDirectory(path, "global.auto_service_directory");
        if (directory is null) yield break;
        string? autoDistrust = _trust.Distrust(directory.Status(), path);
        int count = 0;
        foreach (string name in directory.List())
        {
            if (name.EndsWith(DisabledSuffix, StringComparison.Ordinal)) continue;
            if (directory.KindOf(name) != EntryKind.Directory) continue;
            string servicePath = System.IO.Path.Join(path, name);
            if (!ServiceName.TryParse(name, out _, out string nameError))
            {
                _problems.Add(FileProblem(servicePath, "", $"auto-service directory name: {nameError}",
                    $"rename the directory, or add the suffix {DisabledSuffix} to ignore it"));
                continue;
            }
            if (++count > MaxDefinitions)
            {
                _problems.Add(FileProblem(path, "global.auto_service_directory", $"more than {MaxDefinitions} auto-services; the rest are not loaded",
                    "remove unused service directories or add the suffix .disabled"));
                yield break;
            }
            ServiceDefinition? definition;
            try
            {
                using ConfinedDirectory serviceDirectory = directory.OpenDirectory(name);
                string? distrust = autoDistrust ?? _trust.Distrust(serviceDirectory.Status(), servicePath);
                if (distrust is not null)
                {
                    string element = autoDistrust is not null ? path : servicePath;
                    string file = System.IO.Path.Join(servicePath, serviceDirectory.KindOf("service.yml") == EntryKind.Missing
                        && serviceDirectory.KindOf("service.yaml") != EntryKind.Missing ? "service.yaml" : "service.yml");
                    _problems.Add(_trust.Refusal(file, element, distrust, path));
                    continue;
                }
                definition = LoadAutoService(serviceDirectory, name, servicePath, path);
            }
            catch (IOException e)
            {
                _problems.Add(FileProblem(servicePath, "", e.Message, "check the directory's permissions and contents"));
                continue;
            }
            if (definition is not null && Provision(definition)) yield return definition;
        }
    }

    private ServiceDefinition? LoadAutoService(ConfinedDirectory directory, string name, string servicePath, string root)
    {
        bool regenerate = directory.KindOf(RegenerateMarker) == EntryKind.File;
        if (regenerate && !_options.DryRun)
        {
            foreach (string existing in new[] { "service.yml", "service.yaml" })
            {
                if (directory.KindOf(existing) == EntryKind.Missing) continue;
                string backup = FreeBackupName(directory, existing);
                directory.Rename(existing, backup);
                _notes.Add($"{System.IO.Path.Join(servicePath, existing)}: backed up to {backup} ({RegenerateMarker})");
            }
        }

        string? configName = regenerate && !_options.DryRun ? null
            : directory.KindOf("service.yml") == EntryKind.File ? "service.yml"
            : directory.KindOf("service.yaml") == EntryKind.File ? "service.yaml"
            : null;
        foreach (string candidate in new[] { "service.yml", "service.yaml" })
        {
            if (directory.KindOf(candidate) == EntryKind.Symlink)
            {
                _problems.Add(FileProblem(System.IO.Path.Join(servicePath, candidate), "",
                    "is a symlink; refusing to follow it (a service may have planted it)",
                    "replace the link with a regular file"));
                return null;
            }
        }

        if (configName is null)
        {
            string text = AutoServiceTemplate.Render(name, servicePath, _options.Context.DefaultServiceUser, _options.Context.DefaultServiceGroup);
            string file = System.IO.Path.Join(servicePath, "service.yml");
            if (_options.DryRun)
            {
                _notes.Add($"{file}: would be generated with defaults (start_command ./run.sh)");
                return Parse(text, file, name);
            }
            if (directory.WriteAtomically("service.yml", Encoding.UTF8.GetBytes(text), UnixMode.Mode0644, overwrite: false))
                _notes.Add($"{file}: generated with defaults");
            if (regenerate) directory.Delete(RegenerateMarker);
            configName = "service.yml";
        }
        return ReadAndParse(directory, configName, System.IO.Path.Join(servicePath, configName), root, expectedName: name);
    }

    private ServiceDefinition? ReadAndParse(ConfinedDirectory directory, string name, string file, string root, string? expectedName = null)
    {
        byte[] bytes;
        EntryStatus status;
        try
        {
            bytes = directory.ReadRegularFile(name, MaxFileBytes, out status);
        }
        catch (IOException e)
        {
            _problems.Add(FileProblem(file, "", e.Message, "make it a regular, readable file of at most 1 MiB"));
            return null;
        }
        if (_trust.Distrust(status, file) is { } distrust)
        {
            _problems.Add(_trust.Refusal(file, file, distrust, root));
            return null;
        }
        if (!ConfigText.TryDecode(file, bytes, out string text, out ConfigError? problem))
        {
            _problems.Add(problem);
            return null;
        }
        return Parse(text, file, expectedName);
    }

    private ServiceDefinition? Parse(string text, string file, string? expectedName)
    {
        ConfigResult<ServiceDefinition> result = ServiceDefinitionParser.Parse(file, text, _options.Context);
        _problems.AddRange(result.Errors);
        if (result.Value is not { } definition || !result.IsValid) return null;
        if (expectedName is not null && definition.Name.Value != expectedName)
        {
            _problems.Add(FileProblem(file, "application",
                $"application \"{definition.Name}\" differs from its auto-service directory name \"{expectedName}\"; not loaded",
                $"remove the application key or set it to \"{expectedName}\""));
            return null;
        }
        return Admit(definition) ? definition : null;
    }

    /// <summary>
    /// Refuses, at load, what the daemon could only fail at use: a user it cannot run the service as (uid 0 without
    /// <c>process.allow_root</c>, another user when it is not root) and provisioning that needs root when it is not.
    /// </summary>
    private bool Admit(ServiceDefinition definition)
    {
        string key;
        string? problem;
        try
        {
            ProcessSettings process = definition.Process;
            (key, problem) = ServiceIdentity.TryResolve(process.User, process.Group, process.AllowRoot, _options.Identity, out _, out string error)
                ? ("provisioning", Provisioner.PrivilegeProblem(definition, _options.Identity))
                : ("process.user", error);
        }
        catch (LinuxException e)
        {
            (key, problem) = ("process.user", $"cannot look up the user: {e.Message}; check the name service configuration (/etc/nsswitch.conf)");
        }
        if (problem is null) return true;
        _problems.Add(FileProblem(definition.SourceFile, key, $"service \"{definition.Name}\" is not loaded: {problem}", ""));
        return false;
    }

    private ConfinedDirectory? OpenListedDirectory(string path, string key)
    {
        try
        {
            return ConfinedDirectory.Open(path);
        }
        catch (IOException e)
        {
            _problems.Add(FileProblem(_options.MasterConfigFile, key, $"cannot read {path}: {e.Message}",
                "create the directory or fix the path in the master configuration"));
            return null;
        }
    }

    private static string FreeBackupName(ConfinedDirectory directory, string name)
    {
        string candidate = name + ".bak";
        for (int i = 1; directory.KindOf(candidate) != EntryKind.Missing; i++)
            candidate = i <= 9999 ? $"{name}.bak.{i}" : $"{name}.bak.{Guid.NewGuid():N}";
        return candidate;
    }

    private static ConfigError FileProblem(string file, string key, string problem, string fix) =>
        new(file, 0, 0, key, problem, fix);
}
