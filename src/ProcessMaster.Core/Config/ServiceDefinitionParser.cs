using System.Text;
using ProcessMaster.Core.Config.FileModel;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Parsing;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Names;

namespace ProcessMaster.Core.Config;

/// <summary>
/// Parses and validates one service definition (reference §2, SPEC §3.8): everything the original
/// checked at start or stop (resources, signals, environment, commands, schedule) fails here, at load,
/// with file, line, column and key path. Pure: the caller reads the file.
/// </summary>
public static partial class ServiceDefinitionParser
{
    /// <summary>Parses <paramref name="yamlText"/>, the content of <paramref name="filePath"/>.</summary>
    public static ConfigResult<ServiceDefinition> Parse(string filePath, string yamlText, ServiceParseContext ctx)
    {
        var d = new ConfigDiagnostics(filePath);
        ConfigNode? root = YamlTreeReader.Read(yamlText, d);
        if (root is null)
        {
            return d.Result<ServiceDefinition>(null);
        }

        ServiceFile? file = FileModelBinder.Bind<ServiceFile>(root, YamlSchema.ServiceFile, d);
        if (file is null)
        {
            return d.Result<ServiceDefinition>(null);
        }

        ServiceName name = ReadName(filePath, file.Application, d);
        if (file.Process is null && !d.Index.Has("process"))
        {
            d.At("process", "missing required section process", "add process: with at least working_directory and start_command (process: {} takes every default)");
        }

        ProcessSection process = file.Process ?? new ProcessSection();
        string workingDirectory = ReadWorkingDirectory(filePath, process.WorkingDirectory, name, ctx, d);
        ProcessSettings settings = ReadProcess(process, workingDirectory, ctx, d);
        RunMode runMode = ReadRunMode(process, file.RestartPolicy, d);
        var definition = new ServiceDefinition(
            name,
            filePath,
            settings,
            runMode,
            ReadLogs(file.Logs, workingDirectory, d),
            ReadResources(file.Resources, d),
            file.Global?.Enabled ?? true,
            ReadProvisioning(file.Provisioning, new ProvisioningScope(filePath, workingDirectory, ctx.AllowProvisioningOutsideWorkingDirectory), d));
        return d.Result(definition);
    }

    /// <summary>
    /// The name: <c>application</c> trimmed if not blank; else the file stem; for <c>service.yml</c> /
    /// <c>service.yaml</c> (any case) the parent directory's name (reference §2.2).
    /// </summary>
    public static string DeriveName(string filePath, string? application)
    {
        if (application is not null && application.Trim().Length > 0)
        {
            return application.Trim();
        }

        string stem = Path.GetFileNameWithoutExtension(filePath);
        return stem.Trim().Equals("service", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFileName(Path.GetDirectoryName(filePath) ?? "") ?? ""
            : stem;
    }

    private static ServiceName ReadName(string filePath, string? application, ConfigDiagnostics d)
    {
        string text = DeriveName(filePath, application);
        if (ServiceName.TryParse(text, out ServiceName name, out string error))
        {
            return name;
        }

        bool explicitName = application is not null && application.Trim().Length > 0;
        d.At("application", error + (explicitName ? "" : $" (derived from the file name {Path.GetFileName(filePath)})"),
            explicitName ? "use 1-64 of A-Z a-z 0-9 . _ - , not starting with '.'" : "rename the file or set application: to a valid name");
        return ServiceName.Parse("invalid-name");
    }

    private static string ReadWorkingDirectory(string filePath, string? text, ServiceName name, ServiceParseContext ctx, ConfigDiagnostics d)
    {
        string? wd = ValueReader.NonBlank(d, "process.working_directory", text, "write a directory path, or remove the key to use <auto_service_directory>/<name>");
        if (wd is not null)
        {
            return LexicalPath.Resolve(Path.GetDirectoryName(filePath) ?? "", wd);
        }

        if (ctx.AutoServiceDirectory is not null)
        {
            return LexicalPath.Resolve(ctx.AutoServiceDirectory, name.Value);
        }

        // Not reported again when process is absent or malformed (that error is already there).
        bool processUsable = d.Index.ValueAt("process") is ConfigMapping or ConfigScalar { IsNull: true };
        if (processUsable && !d.Index.Has("process.working_directory"))
        {
            d.At("process.working_directory", $"service {name}: missing process.working_directory and global.auto_service_directory is not set",
                "set process.working_directory to the service's directory");
        }

        return "/nonexistent";
    }

    private static ProcessSettings ReadProcess(ProcessSection p, string workingDirectory, ServiceParseContext ctx, ConfigDiagnostics d)
    {
        ValueList<string> start = ReadCommand(d, "process.start_command", p.StartCommand) ?? ValueList.Of<string>("./run.sh");
        StopMethod stop = ReadStop(p, d);
        string? user = Blank(p.User);
        string? group = Blank(p.Group);
        if (group is not null && user is null)
        {
            d.AtKey("process.group", "process.group is set without process.user", "specify both (or neither) so the privilege drop is unambiguous");
        }
        else if (user is not null && ctx.Accounts?.Invoke(user, group) is { } problem)
        {
            ReportAccount(d, "process.user", "process.group", $"cannot run as user \"{user}\"", problem);
        }

        return new ProcessSettings(
            workingDirectory,
            start,
            stop,
            MillisecondsOrDefault(d, "process.stop_grace_period_ms", p.StopGracePeriodMs, 5000),
            user,
            group,
            ReadEnvironment(p.Environment, d),
            p.InheritEnvironment ?? false,
            p.AllowRoot ?? false)
        {
            Umask = ReadUmask(d, p.Umask),
            NoNewPrivileges = p.NoNewPrivileges ?? false,
        };
    }

    private static OctalMode ReadUmask(ConfigDiagnostics d, string? text)
    {
        OctalMode? mask = MasterConfigParser.ReadMode(d, "process.umask", text);
        if (mask is { Value: > 0x1FF } wide)
        {
            d.At("process.umask", $"umask {wide} has bits above 0777", "a umask holds permission bits only, e.g. 022 or 027");
            return ProcessSettings.DefaultUmask;
        }

        return mask ?? ProcessSettings.DefaultUmask;
    }

    private static ValueList<string>? ReadCommand(ConfigDiagnostics d, string path, List<string>? argv)
    {
        if (argv is null)
        {
            return null;
        }

        if (argv.Count == 0 || argv[0].Trim().Length == 0)
        {
            d.At(path, argv.Count == 0 ? "command must not be empty" : "the program (first item) must not be empty",
                "give the program and its arguments as a list, e.g. [\"./run.sh\", \"--port\", \"8080\"]");
            return null;
        }

        return ValueReader.CheckArgvSize(d, path, argv) ? new ValueList<string>(argv) : null;
    }

    private static StopMethod ReadStop(ProcessSection p, ConfigDiagnostics d)
    {
        if (p.StopCommand is not null && p.StopSignal is not null)
        {
            d.AtKey("process.stop_signal", "choose exactly one of process.stop_command or process.stop_signal",
                "remove stop_signal to stop with the command, or remove stop_command to stop with the signal");
        }

        if (p.StopCommand is not null)
        {
            return ReadCommand(d, "process.stop_command", p.StopCommand) is { } command
                ? new StopMethod.ByCommand(command)
                : new StopMethod.BySignal(Signal.Term);
        }

        return new StopMethod.BySignal(ValueReader.Parse(d, "process.stop_signal", p.StopSignal, Signal.TryParse, Signal.Term));
    }

    private static ValueList<EnvironmentVariable> ReadEnvironment(List<EnvironmentSection>? entries, ConfigDiagnostics d)
    {
        var result = new List<EnvironmentVariable>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        for (int i = 0; entries is not null && i < entries.Count; i++)
        {
            string path = NodeIndex.Item("process.environment", i);
            EnvironmentSection e = entries[i];
            bool hasName = ValueReader.Require(d, path, $"process.environment[{i}]", "name", "every entry needs name: and value:");
            bool hasValue = ValueReader.Require(d, path, $"process.environment[{i}]", "value", "every entry needs name: and value: (use \"\" for an empty value)");
            if (!hasName || !hasValue || e.Name is null || e.Value is null)
            {
                continue;
            }

            if (!EnvironmentVariable.TryValidateName(e.Name, out string nameError))
            {
                d.At(NodeIndex.Child(path, "name"), nameError, "use a name such as APP_PORT");
                continue;
            }

            if (!names.Add(e.Name))
            {
                d.At(NodeIndex.Child(path, "name"), $"environment variable \"{e.Name}\" is defined twice", "keep one entry per name");
                continue;
            }

            if (!EnvironmentValue.TryParse(e.Value, out EnvironmentValue value, out string valueError))
            {
                d.At(NodeIndex.Child(path, "value"), valueError, "fix the encoded value");
                continue;
            }

            // NAME=value and a NUL, as the kernel counts the environment; @file:// content is capped when it is read.
            bytes += Encoding.UTF8.GetByteCount(e.Name) + 2 + (value is EnvironmentValue.Literal literal ? literal.Bytes.Count : 0);
            if (bytes > ConfigLimits.MaxEnvironmentBytes)
            {
                d.At(path, $"the environment is over the limit of {ConfigLimits.MaxEnvironmentBytes} bytes at this entry (NAME=value of every entry so far)",
                    "keep large data out of the environment: put it in a file the service reads, or use @file:// (read at start, at most 64 KiB)");
                break;
            }

            result.Add(new EnvironmentVariable(e.Name, value));
        }

        return new ValueList<EnvironmentVariable>(result);
    }

    /// <summary>An account the host cannot resolve, placed at the user or the group key.</summary>
    internal static void ReportAccount(ConfigDiagnostics d, string userPath, string groupPath, string subject, AccountProblem problem) =>
        ValueReader.Report(d, problem.IsGroup ? groupPath : userPath, $"{subject}: {problem.Text}");

    private static string? Blank(string? text) => text is null || text.Trim().Length == 0 ? null : text.Trim();

    /// <summary>A <c>*_ms</c> key: whole milliseconds up to <see cref="Duration.MaxMilliseconds"/>, else the fallback (with a problem).</summary>
    private static Duration MillisecondsOrDefault(ConfigDiagnostics d, string path, ulong? value, long fallback)
    {
        if (value is not ulong ms)
        {
            return Duration.FromMilliseconds(fallback);
        }

        if (Duration.TryFromMilliseconds(ms, out Duration duration, out string error))
        {
            return duration;
        }

        ValueReader.Report(d, path, error);
        return Duration.FromMilliseconds(fallback);
    }
}
