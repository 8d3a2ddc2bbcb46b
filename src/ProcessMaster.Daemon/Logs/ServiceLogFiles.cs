using ProcessMaster.Core.Config.Model;

namespace ProcessMaster.Daemon.Logs;

/// <summary>A log file an operator may read: captured stdout/stderr or a hint the service writes itself.</summary>
/// <param name="Service">The service.</param>
/// <param name="Path">Absolute path.</param>
/// <param name="WorkingDirectory">The service's working directory: a path inside it is walked from there without following any symlink.</param>
internal sealed record ServiceLogFile(string Service, string Path, string WorkingDirectory)
{
    /// <summary>The file name, for <c>logs -f --file NAME</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>
    /// Opens the directory holding the file the way the writers do (<see cref="ServiceFileLocation"/>): never through
    /// a symlink in any component below the working directory (N-12).
    /// </summary>
    /// <exception cref="Linux.Files.UnsafePathException">A component is a symlink.</exception>
    /// <exception cref="IOException">A directory is missing or unreadable.</exception>
    public Linux.Files.ConfinedDirectory OpenDirectory() => ServiceFileLocation.Of(Path, WorkingDirectory).OpenDirectory(create: false);

    /// <summary>stdout, stderr (when it is another file), then each hint sorted by path. Hints are confined to the
    /// working directory by the configuration (checked at load).</summary>
    public static IReadOnlyList<ServiceLogFile> Of(ServiceDefinition definition)
    {
        string service = definition.Name.Value;
        string workdir = definition.Process.WorkingDirectory;
        var files = new List<ServiceLogFile> { new(service, definition.Logs.Stdout, workdir) };
        if (!string.Equals(definition.Logs.Stderr, definition.Logs.Stdout, StringComparison.Ordinal))
            files.Add(new(service, definition.Logs.Stderr, workdir));
        foreach (string hint in definition.Logs.Hints.Order(StringComparer.Ordinal))
            if (files.All(f => f.Path != hint)) files.Add(new(service, hint, workdir));
        return files;
    }
}
