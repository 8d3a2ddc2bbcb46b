using System.Text;
using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Turns a validated definition into a <see cref="SpawnRequest"/> at the moment of the start: resolves the
/// user again (exact uid, gid, supplementary groups; uid 0 only with <c>process.allow_root</c>, only the daemon's own
/// user when the daemon is not root, see <see cref="ServiceIdentity"/>), reads <c>@file://</c> environment values
/// (regular files of at most 64 KiB; relative paths are under the working directory; with them the environment
/// stays within <see cref="ConfigLimits.MaxEnvironmentBytes"/>), builds the clean
/// environment (SPEC §3.5), and carries <c>process.umask</c> and <c>process.no_new_privileges</c>.
/// </summary>
internal static class LaunchPlan
{
    /// <summary>Largest <c>@file://</c> environment value.</summary>
    public const int MaxEnvironmentFileBytes = 64 * 1024;

    /// <summary>The main process of a service or job.</summary>
    /// <param name="identity">Whom it will run as (named in the start event).</param>
    public static SpawnRequest ForService(ServiceDefinition definition, ServiceCgroup cgroup, SpawnOutput stdout, SpawnOutput stderr, out ServiceIdentity identity)
    {
        ValueList<string> argv = definition.Process.StartCommand;
        return Build(definition, cgroup, argv, stdout, stderr, $"service \"{definition.Name}\"", out identity);
    }

    /// <summary>The stop_command: same user, directory, environment and cgroup as the service.</summary>
    public static SpawnRequest ForStopCommand(ServiceDefinition definition, ServiceCgroup cgroup, SpawnOutput stdout, SpawnOutput stderr)
    {
        if (definition.Process.Stop is not StopMethod.ByCommand command)
            throw new LaunchException($"service \"{definition.Name}\": no stop_command is configured");
        return Build(definition, cgroup, command.Command, stdout, stderr, $"service \"{definition.Name}\" stop_command", out _);
    }

    private static SpawnRequest Build(ServiceDefinition definition, ServiceCgroup cgroup, ValueList<string> argv,
        SpawnOutput stdout, SpawnOutput stderr, string subject, out ServiceIdentity identity)
    {
        ProcessSettings process = definition.Process;
        if (!ServiceIdentity.TryResolve(process.User, process.Group, process.AllowRoot, DaemonIdentity.Current(), out ServiceIdentity? resolved, out string error))
            throw new LaunchException($"{subject}: cannot run as user \"{process.User}\": {error}");
        identity = resolved!;

        var configured = new List<KeyValuePair<string, string>>();
        int bytes = 0;
        foreach (EnvironmentVariable variable in process.Environment)
        {
            string value = Resolve(variable, process.WorkingDirectory, subject);
            // The load-time cap counts literal values only; the @file:// contents count here, once read (audit N-04).
            bytes += Encoding.UTF8.GetByteCount(variable.Name) + Encoding.UTF8.GetByteCount(value) + 2;
            if (bytes > ConfigLimits.MaxEnvironmentBytes)
                throw new LaunchException($"{subject}: environment {variable.Name}: with the @file:// values read, the environment is over the limit of "
                    + $"{ConfigLimits.MaxEnvironmentBytes} bytes (NAME=value of every entry so far); keep large data out of the environment: let the service read the file itself");
            configured.Add(new(variable.Name, value));
        }
        IReadOnlyList<string> environment = process.InheritEnvironment
            ? SpawnEnvironment.Inherit(configured)
            : SpawnEnvironment.Clean(identity.EnvironmentUser, configured);

        return new SpawnRequest(argv[0], [.. argv.Skip(1)], process.WorkingDirectory, environment)
        {
            Cgroup = cgroup.Leaf,
            Credentials = identity.SwitchTo,
            Stdout = stdout,
            Stderr = stderr,
            Umask = (uint)process.Umask.Value,
            NoNewPrivileges = process.NoNewPrivileges,
            Subject = subject,
        };
    }

    private static string Resolve(EnvironmentVariable variable, string workingDirectory, string subject)
    {
        switch (variable.Value)
        {
            case EnvironmentValue.Literal literal:
                return literal.Text;
            case EnvironmentValue.FileReference file:
                string path = Path.IsPathFullyQualified(file.Path) ? file.Path : Path.GetFullPath(file.Path, workingDirectory);
                try
                {
                    // Inside the working directory (the service's tree): walked without following any symlink.
                    ServiceFileLocation location = ServiceFileLocation.Of(path, workingDirectory);
                    using ConfinedDirectory directory = location.OpenDirectory(create: false);
                    return Encoding.UTF8.GetString(directory.ReadRegularFile(location.FileName, MaxEnvironmentFileBytes));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    throw new LaunchException($"{subject}: environment {variable.Name}=@file://{file.Path}: {e.Message}; fix the file or the definition");
                }
            default:
                throw new LaunchException($"{subject}: environment {variable.Name}: unsupported value");
        }
    }
}

/// <summary>A start that cannot be prepared (unknown user, unreadable environment file, ...); the message says why and what to fix.</summary>
internal sealed class LaunchException(string message) : Exception(message);
